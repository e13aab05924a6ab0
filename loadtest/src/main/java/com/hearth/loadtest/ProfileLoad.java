package com.hearth.loadtest;

import com.auth0.jwt.algorithms.Algorithm;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of run-benchmarks' scenario (a) without Gatling, for profiling the node: one kitchen,
 * every hold a distinct 15-minute slot, {@code users} threads posting holds back to back for a
 * warm-up, then a measured window. With a kitchen count above one (system property {@code
 * profile.kitchens}) it is scenario c1k's shape instead: holds spread round-robin over that many
 * kitchens, each hold a distinct slot of its kitchen. Around the window it runs {@code hook start}
 * and {@code hook stop} (a shell command: loadtest/profile-node reads /proc and drives Java Flight
 * Recorder there) and prints the accepted holds of the window as {@code ACCEPTED <n>}. Loopback
 * only, bounded.
 *
 * <p>Usage: {@code ProfileLoad <base-url> <jwt-secret> <users> <warm-up-s> <measured-s> [hook]}; it
 * needs only this module's classes and the node jar on the classpath.
 */
public final class ProfileLoad {

  private static final Duration SLOT = Duration.ofMinutes(15);
  private static final String KITCHEN =
      "{\"name\":\"Profiled kitchen\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":4000,"
          + "\"rules\":{\"slot_minutes\":15,\"min_duration_minutes\":15,\"max_duration_minutes\":720,"
          + "\"min_notice_minutes\":0,\"horizon_days\":730}}";

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: ProfileLoad <base-url> <jwt-secret> <users> <warm-up-s> <measured-s> [hook]");
      System.exit(2);
    }
    URI base = Loopback.target(args[0]);
    Algorithm key = Algorithm.HMAC256(args[1]);
    int users = Integer.parseInt(args[2]);
    int warmUp = Integer.parseInt(args[3]);
    int measured = Integer.parseInt(args[4]);
    String hook = args.length > 5 ? args[5] : null;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    String host = Loopback.token(key, "profile-host", "host");
    int kitchenCount = Integer.getInteger("profile.kitchens", 1);
    List<URI> holdUris = new ArrayList<>();
    for (int k = 0; k < kitchenCount; k++) {
      Matcher id =
          Pattern.compile("\"kitchen_id\":\"([^\"]+)\"")
              .matcher(send(http, base, "/v1/kitchens", host, KITCHEN, 201));
      if (!id.find()) throw new IllegalStateException("no kitchen_id in the answer");
      String kitchen = id.group(1);
      send(http, base, "/v1/kitchens/" + kitchen + "/publish", host, null, 200);
      holdUris.add(base.resolve("/v1/kitchens/" + kitchen + "/bookings"));
    }
    List<String> renters = new ArrayList<>();
    for (int i = 0; i < 200; i++) renters.add(Loopback.token(key, "profile-renter-" + i, "renter"));
    Instant first =
        LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);

    AtomicLong slots = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicBoolean counting = new AtomicBoolean();
    long end = System.nanoTime() + Duration.ofSeconds(warmUp + measured + 1L).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long i = slots.getAndIncrement();
                  URI holds = holdUris.get((int) (i % kitchenCount));
                  Instant start = first.plus(SLOT.multipliedBy(i / kitchenCount));
                  String body =
                      "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(SLOT) + "\"}";
                  HttpRequest request =
                      HttpRequest.newBuilder(holds)
                          .timeout(Duration.ofSeconds(10))
                          .header(
                              "Authorization", "Bearer " + renters.get((int) (i % renters.size())))
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  int status;
                  try {
                    status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                  } catch (Exception e) {
                    status = -1;
                  }
                  if (counting.get()) (status == 201 ? accepted : other).incrementAndGet();
                }
              },
              "profile-user-" + u);
      t.start();
      threads.add(t);
    }
    Thread.sleep(warmUp * 1000L);
    run(hook, "start");
    counting.set(true);
    long began = System.nanoTime();
    Thread.sleep(measured * 1000L);
    counting.set(false);
    double seconds = (System.nanoTime() - began) / 1e9;
    run(hook, "stop");
    for (Thread t : threads) t.join();
    System.out.printf(
        "accepted %d, other answers %d, in %.1f s = %.0f accepted/s%n",
        accepted.get(), other.get(), seconds, accepted.get() / seconds);
    System.out.println("ACCEPTED " + accepted.get());
  }

  private static void run(String hook, String moment) throws Exception {
    if (hook != null)
      new ProcessBuilder("sh", "-c", hook + " " + moment).inheritIO().start().waitFor();
  }

  private static String send(
      HttpClient http, URI base, String path, String token, String json, int expected)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    b =
        json == null
            ? b.POST(HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected)
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    return r.body();
  }
}
