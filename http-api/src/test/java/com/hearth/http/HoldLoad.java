package com.hearth.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds placed by a few client threads round-robin over the nodes a load balancer would use: the
 * ones whose readiness answered 200 at its last look (every 250 ms). Records every acknowledged
 * hold, every 503 (with what it takes to retry it) and every other failure. Bounded: it runs until
 * stopped or for at most {@code maxDuration}, and each thread has one request in flight.
 */
final class HoldLoad implements AutoCloseable {

  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  /** An acknowledged hold: its slot, and until when it holds it. */
  record Acked(String kitchenId, String bookingId, Instant start, Instant end, Instant expiresAt) {}

  record Unavailable(
      String renter, String key, String kitchenId, String body, Instant answeredAt) {}

  private final List<NodeProcess> nodes;
  private final List<String> kitchens;
  private final int days;
  private final TestNodeTokens tokens;
  private final AtomicReference<List<NodeProcess>> targets = new AtomicReference<>(List.of());
  private final AtomicBoolean running = new AtomicBoolean(true);

  /**
   * Where a kitchen's holds go instead of round-robin, as a balancer that knows which node hosts
   * each kitchen would send them; null: round-robin.
   */
  private volatile java.util.function.Function<String, NodeProcess> route;

  private final List<Thread> threads = new ArrayList<>();
  final Queue<Acked> acked = new ConcurrentLinkedQueue<>();
  final Queue<Unavailable> unavailable = new ConcurrentLinkedQueue<>();

  /**
   * Requests the client gave up on (no answer within its timeout): like a 503, they must not be
   * applied later.
   */
  final Queue<Unavailable> timedOut = new ConcurrentLinkedQueue<>();

  final AtomicLong requests = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong conflicts = new AtomicLong();
  final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

  /** Mints renter tokens; one renter per client thread. */
  interface TestNodeTokens {
    String renter(String id);
  }

  HoldLoad(
      List<NodeProcess> nodes,
      List<String> kitchens,
      TestNodeTokens tokens,
      int clients,
      Duration maxDuration) {
    this(nodes, kitchens, tokens, clients, maxDuration, 60);
  }

  /**
   * As above, with holds spread over {@code days} days from the day after tomorrow (at most the
   * kitchens' horizon, 180 days by default): a wider calendar keeps a long run from filling every
   * slot, after which it would measure conflicts only.
   */
  HoldLoad(
      List<NodeProcess> nodes,
      List<String> kitchens,
      TestNodeTokens tokens,
      int clients,
      Duration maxDuration,
      int days) {
    this.days = days;
    this.nodes = nodes;
    this.kitchens = kitchens;
    this.tokens = tokens;
    refreshTargets();
    Instant stopAt = Instant.now().plus(maxDuration);
    Thread poller =
        new Thread(
            () -> {
              while (running.get() && Instant.now().isBefore(stopAt)) {
                refreshTargets();
                pause(250);
              }
            },
            "hold-load-health");
    threads.add(poller);
    for (int i = 0; i < clients; i++) {
      String renter = "renter-load-" + i;
      threads.add(
          new Thread(
              () -> {
                String token = tokens.renter(renter);
                int turn = 0;
                while (running.get() && Instant.now().isBefore(stopAt)) {
                  List<NodeProcess> now = targets.get();
                  if (now.isEmpty()) {
                    pause(50);
                    continue;
                  }
                  String kitchenId =
                      kitchens.get(ThreadLocalRandom.current().nextInt(kitchens.size()));
                  java.util.function.Function<String, NodeProcess> byKitchen = route;
                  NodeProcess node = byKitchen == null ? null : byKitchen.apply(kitchenId);
                  if (node == null || !now.contains(node)) node = now.get(turn++ % now.size());
                  holdOnce(node, kitchenId, renter, token);
                }
              },
              "hold-load-" + i));
    }
    threads.forEach(Thread::start);
  }

  private void refreshTargets() {
    targets.set(nodes.stream().filter(n -> n.alive() && n.ready()).toList());
  }

  /**
   * From now on each kitchen's holds go to {@code route.apply(kitchenId)} while that node is a
   * target (round-robin otherwise).
   */
  void routeBy(java.util.function.Function<String, NodeProcess> route) {
    this.route = route;
  }

  private void holdOnce(NodeProcess node, String kitchenId, String renter, String token) {
    LocalDate day = LocalDate.now(ZONE).plusDays(2 + ThreadLocalRandom.current().nextInt(days));
    Instant start =
        day.atTime(8 + ThreadLocalRandom.current().nextInt(10), 0).atZone(ZONE).toInstant();
    Instant end = start.plus(Duration.ofHours(1));
    String body = "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}";
    String key = UUID.randomUUID().toString();
    requests.incrementAndGet();
    try {
      HttpResponse<String> r = post(node, kitchenId, token, key, body);
      outcomes
          .computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicInteger())
          .incrementAndGet();
      if (r.statusCode() == 201) {
        JsonNode b = TestNode.MAPPER.readTree(r.body());
        acked.add(
            new Acked(
                kitchenId,
                b.get("booking_id").asText(),
                start,
                end,
                Instant.parse(b.get("hold_expires_at").asText())));
      } else if (r.statusCode() == 409) {
        conflicts.incrementAndGet();
      } else if (r.statusCode() == 503) {
        unavailable.add(new Unavailable(renter, key, kitchenId, body, Instant.now()));
        errors.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
    } catch (IOException e) {
      if (e instanceof java.net.http.HttpTimeoutException)
        timedOut.add(new Unavailable(renter, key, kitchenId, body, Instant.now()));
      outcomes.computeIfAbsent("io", k -> new AtomicInteger()).incrementAndGet();
      errors.incrementAndGet();
    }
  }

  static HttpResponse<String> post(
      NodeProcess node, String kitchenId, String token, String key, String body)
      throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(node.baseUrl() + "/v1/kitchens/" + kitchenId + "/bookings"))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return NodeProcess.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Requests, errors so far: for measuring a window. */
  long[] counters() {
    return new long[] {requests.get(), errors.get()};
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "requests "
        + requests
        + ", acknowledged "
        + acked.size()
        + ", conflicts "
        + conflicts
        + ", 503 "
        + unavailable.size()
        + ", errors "
        + errors
        + ", by status "
        + outcomes;
  }
}
