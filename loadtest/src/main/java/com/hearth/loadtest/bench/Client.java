package com.hearth.loadtest.bench;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hearth.loadtest.sim.Params;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The unmeasured side of a benchmark: creating and publishing kitchens before a phase, and the
 * small requests of the probes. HTTP/1.1 keep-alive, loopback only (checked by {@link
 * Params#target()} conventions on every base URL given here).
 */
public final class Client {

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A kitchen every scenario can book: open around the clock, 15-minute slots, no notice, two years
   * ahead.
   */
  static final String KITCHEN =
      "{\"name\":\"Bench kitchen %d\",\"city\":\"Benchville\",\"time_zone\":\"UTC\","
          + "\"hourly_rate_cents\":4000,\"rules\":{\"slot_minutes\":15,\"min_duration_minutes\":15,"
          + "\"max_duration_minutes\":720,\"min_notice_minutes\":0,\"horizon_days\":730}}";

  final URI base;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  final String host;

  /** For the projections' detail in /health/projections, which is for operators only. */
  final String operator;

  Client(String baseUrl, Algorithm key) {
    System.setProperty("bench.target", baseUrl);
    this.base = URI.create(Params.target() + "/");
    this.host = Params.token(key, "bench-host", "host");
    this.operator = Params.token(key, "bench-operator", "operator");
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(30));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  CompletableFuture<HttpResponse<String>> post(String path, String token, String json) {
    HttpRequest.Builder b = request(path, token);
    b =
        json == null
            ? b.POST(HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode body(HttpResponse<String> r, int... expected) {
    for (int e : expected) {
      if (r.statusCode() == e) {
        try {
          return JSON.readTree(r.body());
        } catch (IOException ex) {
          throw new IllegalStateException(r.uri() + " answered unreadable JSON", ex);
        }
      }
    }
    throw new IllegalStateException(r.uri() + " -> " + r.statusCode() + " " + r.body());
  }

  /**
   * Creates and publishes {@code count} kitchens, {@code concurrency} at a time; their ids, in
   * creation order.
   */
  List<String> createKitchens(int count, int concurrency, Duration limit) throws Exception {
    return createKitchens(count, concurrency, limit, true);
  }

  /**
   * Creates {@code count} kitchens, publishing them when {@code publish}; their ids, in creation
   * order.
   */
  List<String> createKitchens(int count, int concurrency, Duration limit, boolean publish)
      throws Exception {
    List<CompletableFuture<String>> all =
        bounded(
            count,
            concurrency,
            limit,
            "kitchen setup",
            i -> {
              if (i > 0 && i % 10_000 == 0) Bench.log("%,d kitchens created", i);
              String idempotencyKey = "bench-" + RUN + "-" + SEQUENCE.incrementAndGet();
              return retrying("/v1/kitchens", idempotencyKey, String.format(KITCHEN, i), 1)
                  .thenCompose(
                      r -> {
                        String id = body(r, 200, 201).get("kitchen_id").asText();
                        if (!publish) return CompletableFuture.completedFuture(id);
                        return retrying("/v1/kitchens/" + id + "/publish", null, null, 1)
                            .thenApply(
                                p -> {
                                  if (p.statusCode() != 409)
                                    body(p, 200); // 409: published by an earlier attempt
                                  return id;
                                });
                      });
            });
    List<String> ids = new ArrayList<>(count);
    for (CompletableFuture<String> f : all) {
      try {
        ids.add(f.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "kitchen setup failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
    return ids;
  }

  /**
   * Reads one day of availability of each of {@code ids}, {@code concurrency} at a time, and fails
   * unless every answer is 200: before a phase over many kitchens, so that the phase measures them
   * under steady load (a Hearth kitchen in memory, a baseline's rows in PostgreSQL's cache) and not
   * their first use after the setup left them idle (a Hearth kitchen idle for two minutes is
   * passivated, and its first command recovers it from the journal).
   */
  void touch(List<String> ids, int concurrency, Duration limit) throws Exception {
    Instant from = Params.firstDay();
    String window = "/availability?from=" + from + "&to=" + from.plus(Duration.ofDays(1));
    List<CompletableFuture<HttpResponse<String>>> all =
        bounded(
            ids.size(),
            concurrency,
            limit,
            "reading the kitchens",
            i ->
                http.sendAsync(
                    request("/v1/kitchens/" + ids.get(i) + window, host).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
    for (CompletableFuture<HttpResponse<String>> f : all) body(f.get(), 200);
  }

  /**
   * Starts {@code count} requests made by {@code start} (given their index), at most {@code
   * concurrency} in flight, and waits for all of them; {@code what} names a step that took longer
   * than {@code limit}.
   */
  private static <T> List<CompletableFuture<T>> bounded(
      int count,
      int concurrency,
      Duration limit,
      String what,
      java.util.function.IntFunction<CompletableFuture<T>> start)
      throws Exception {
    Semaphore inFlight = new Semaphore(concurrency);
    List<CompletableFuture<T>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (!inFlight.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS))
        throw new TimeoutException(what + " took too long");
      CompletableFuture<T> one = start.apply(i);
      one.whenComplete((result, failure) -> inFlight.release());
      all.add(one);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .get(limit.toMillis(), TimeUnit.MILLISECONDS);
    return all;
  }

  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A setup POST as the host, tried again (same Idempotency-Key) while the node answers 503 or 429
   * or the connection fails, up to twelve attempts with a growing pause: setup is not measured, and
   * a node that is still warming up may time out an ask.
   */
  private CompletableFuture<HttpResponse<String>> retrying(
      String path, String idempotencyKey, String json, int attempt) {
    HttpRequest.Builder b = request(path, host);
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    b =
        json == null
            ? b.POST(HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (r, failure) -> {
              boolean again = failure != null || r.statusCode() == 503 || r.statusCode() == 429;
              if (!again || attempt >= 12) {
                if (failure != null)
                  throw new IllegalStateException(
                      path + " failed: " + failure.getMessage(), failure);
                return CompletableFuture.completedFuture(r);
              }
              return CompletableFuture.supplyAsync(
                      () -> null,
                      CompletableFuture.delayedExecutor(
                          Math.min(500L * attempt, 3000L), TimeUnit.MILLISECONDS))
                  .thenCompose(x -> retrying(path, idempotencyKey, json, attempt + 1));
            })
        .thenCompose(f -> f);
  }

  static Path write(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, lines);
  }
}
