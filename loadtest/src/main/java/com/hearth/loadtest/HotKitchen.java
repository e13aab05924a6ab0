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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A flash sale on one kitchen: many renters at once holding overlapping one-hour slots. Prints
 * throughput, latency percentiles and status counts, then checks that no two accepted holds overlap
 * (the double-booking check) and exits non-zero if any do.
 *
 * <p>Usage: {@code java -cp loadtest/target/classes:... com.hearth.loadtest.HotKitchen
 * http://127.0.0.1:8080 <jwt-secret> [requests=2000] [concurrency=64]}. It talks to loopback
 * addresses only, sends a bounded number of requests and stops by itself.
 */
public final class HotKitchen {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: HotKitchen <base-url> <jwt-secret> [requests] [concurrency]");
      System.exit(2);
    }
    URI base = Loopback.target(args[0]);
    Algorithm key = Algorithm.HMAC256(args[1]);
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String host = Loopback.token(key, "load-host", "host");
    JsonNode kitchen =
        send(
            client,
            post(
                base,
                "/v1/kitchens",
                host,
                "{\"name\":\"Flash sale kitchen\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":4000,"
                    + "\"rules\":{\"min_notice_minutes\":0,\"horizon_days\":365}}"));
    String kitchenId = kitchen.get("kitchen_id").asText();
    send(client, post(base, "/v1/kitchens/" + kitchenId + "/publish", host, ""));

    // Slots start on the half hour over ten days, so many requests overlap partly or wholly.
    LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).plusDays(2);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) tokens.add(Loopback.token(key, "load-renter-" + i, "renter"));

    Semaphore inFlight = new Semaphore(concurrency);
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Instant[]> accepted = new ConcurrentLinkedQueue<>();
    Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
    List<CompletableFuture<?>> all = new ArrayList<>();
    long began = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      int slot = Math.floorMod((i * 7919) ^ (i >>> 3), 10 * 48);
      Instant start =
          firstDay.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(30L * slot));
      Instant end = start.plus(Duration.ofHours(1));
      String body = "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}";
      inFlight.acquire();
      long sent = System.nanoTime();
      all.add(
          client
              .sendAsync(
                  post(
                      base,
                      "/v1/kitchens/" + kitchenId + "/bookings",
                      tokens.get(i % tokens.size()),
                      body),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (response, failure) -> {
                    inFlight.release();
                    latencies.add(new long[] {System.nanoTime() - sent});
                    int status = failure != null ? -1 : response.statusCode();
                    statuses.merge(status, 1, Integer::sum);
                    if (status == 201) accepted.add(new Instant[] {start, end});
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - began) / 1e9;

    long[] sorted = latencies.stream().mapToLong(l -> l[0]).sorted().toArray();
    System.out.printf(
        "requests=%d concurrency=%d seconds=%.2f throughput=%.0f/s%n",
        requests, concurrency, seconds, requests / seconds);
    System.out.printf(
        "latency ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n",
        pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1e6);
    System.out.println("statuses: " + statuses);

    List<Instant[]> won = new ArrayList<>(accepted);
    won.sort((a, b) -> a[0].compareTo(b[0]));
    int overlaps = 0;
    for (int i = 1; i < won.size(); i++) if (won.get(i)[0].isBefore(won.get(i - 1)[1])) overlaps++;
    System.out.println("accepted=" + won.size() + " overlapping pairs=" + overlaps);
    reportReadModelCatchUp(client, base, Loopback.token(key, "load-operator", "operator"));
    boolean serverErrors = statuses.keySet().stream().anyMatch(s -> s < 0 || s >= 500);
    System.exit(overlaps == 0 && !serverErrors ? 0 : 1);
  }

  /**
   * How long after the last answer the read tables hold every event; polled, bounded to a minute.
   */
  private static void reportReadModelCatchUp(HttpClient client, URI base, String operator)
      throws Exception {
    long done = System.nanoTime();
    // The projections' detail is for operators (public health says only UP or DOWN).
    HttpRequest health =
        HttpRequest.newBuilder(base.resolve("/health/projections"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + operator)
            .GET()
            .build();
    JsonNode state =
        JSON.readTree(client.send(health, HttpResponse.BodyHandlers.ofString()).body());
    while (state.at("/freshness/pending_events").asLong() > 0
        && System.nanoTime() - done < 60_000_000_000L) {
      Thread.sleep(20); // a polling interval
      state = JSON.readTree(client.send(health, HttpResponse.BodyHandlers.ofString()).body());
    }
    System.out.printf(
        "read models caught up %.0f ms after the last answer (pending now %d); projections: %s%n",
        (System.nanoTime() - done) / 1e6,
        state.at("/freshness/pending_events").asLong(),
        state.get("projections"));
  }

  private static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)]
        / 1e6;
  }

  private static HttpRequest post(URI base, String path, String token, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    if (json.isEmpty()) return b.POST(HttpRequest.BodyPublishers.noBody()).build();
    return b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static JsonNode send(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300)
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }
}
