package com.hearth.loadtest;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How long an acknowledged booking takes to appear in the read tables, seen from outside: holds are
 * placed one at a time at a gentle pace (the node otherwise idle), and after each 201 the kitchen's
 * booking list is polled every 10 ms until the booking is in it. Prints percentiles of that delay,
 * then the node's own projection health (its write-to-row lag per projection).
 *
 * <p>Usage: {@code ReadModelLag <base-url> <jwt-secret> [holds=60] [pause-ms=250]}. Loopback only;
 * bounded in requests (each poll gives up after 10 s) and stops by itself; exits non-zero if a
 * booking never appeared.
 */
public final class ReadModelLag {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration GIVE_UP = Duration.ofSeconds(10);

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ReadModelLag <base-url> <jwt-secret> [holds] [pause-ms]");
      System.exit(2);
    }
    URI base = Loopback.target(args[0]);
    Algorithm key = Algorithm.HMAC256(args[1]);
    int holds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    long pauseMs = args.length > 3 ? Long.parseLong(args[3]) : 250;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String host = Loopback.token(key, "lag-host", "host");
    String renter = Loopback.token(key, "lag-renter", "renter");
    JsonNode kitchen =
        send(
            client,
            request(
                base,
                "/v1/kitchens",
                host,
                "{\"name\":\"Lag probe kitchen\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":4000,"
                    + "\"rules\":{\"min_notice_minutes\":0,\"horizon_days\":365}}"),
            201);
    String kitchenId = kitchen.get("kitchen_id").asText();
    send(client, request(base, "/v1/kitchens/" + kitchenId + "/publish", host, ""), 200);

    Instant first =
        LocalDate.now(ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    List<Long> lags = new ArrayList<>();
    int missing = 0;
    for (int i = 0; i < holds; i++) {
      Instant start = first.plus(Duration.ofHours(i));
      Instant end = start.plus(Duration.ofHours(1));
      JsonNode booking =
          send(
              client,
              request(
                  base,
                  "/v1/kitchens/" + kitchenId + "/bookings",
                  renter,
                  "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}"),
              201);
      long acknowledged = System.nanoTime();
      String listed =
          "/v1/kitchens/" + kitchenId + "/bookings?limit=1&from=" + start + "&to=" + end;
      boolean seen = false;
      while (!seen && System.nanoTime() - acknowledged < GIVE_UP.toNanos()) {
        JsonNode page = send(client, request(base, listed, host, null), 200);
        seen =
            page.get("items").size() == 1
                && page.get("items")
                    .get(0)
                    .get("booking_id")
                    .asText()
                    .equals(booking.get("booking_id").asText());
        if (!seen) Thread.sleep(10); // a polling interval, not a wait for a condition
      }
      if (seen) lags.add((System.nanoTime() - acknowledged) / 1_000_000);
      else missing++;
      Thread.sleep(pauseMs);
    }
    long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "holds=%d seen=%d missing=%d; 201-to-listed ms: p50=%d p95=%d p99=%d max=%d%n",
        holds,
        sorted.length,
        missing,
        pct(sorted, 50),
        pct(sorted, 95),
        pct(sorted, 99),
        sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
    System.out.println(
        "node: "
            + send(
                client,
                request(
                    base,
                    "/health/projections",
                    Loopback.token(key, "load-operator", "operator"),
                    null),
                200));
    System.exit(missing == 0 ? 0 : 1);
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) return -1;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** A GET when {@code json} is null, else a POST (with no body when it is empty). */
  private static HttpRequest request(URI base, String path, String token, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (json == null) return b.GET().build();
    if (json.isEmpty()) return b.POST(HttpRequest.BodyPublishers.noBody()).build();
    return b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static JsonNode send(HttpClient client, HttpRequest request, int expected)
      throws Exception {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected)
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }
}
