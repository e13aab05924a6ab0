package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not part of the suite: holds per second over 24 kitchens from 16 clients,
 * round-robin over one node and then over three (JVMs of their own, 127.0.0.1, one fresh PostgreSQL
 * database each time), 30 s each after a 10 s warm-up. Run with {@code -Dhearth.measure=true
 * -Dtest=ClusterThroughputMeasurement}.
 */
@EnabledIfSystemProperty(named = "hearth.measure", matches = "true")
class ClusterThroughputMeasurement {

  private static final Duration WARM_UP =
      Duration.ofSeconds(Long.getLong("hearth.measure.warm-up-seconds", 10));
  private static final Duration MEASURE =
      Duration.ofSeconds(Long.getLong("hearth.measure.seconds", 30));

  private static final int KITCHENS = Integer.getInteger("hearth.measure.kitchens", 24);
  private static final int DAYS = Integer.getInteger("hearth.measure.days", 60);

  private final JwtAuth auth = new JwtAuth(TestNode.SECRET, Clock.systemUTC());

  @Test
  void oneNodeAgainstThree() throws Exception {
    double[] one = holdsPerSecond(1);
    double[] three = holdsPerSecond(3);
    System.out.printf(
        "[throughput] 1 node: %.1f holds/s; 3 nodes: %.1f holds/s; ratio %.2f; accepted holds/s:"
            + " %.1f against %.1f, ratio %.2f%n",
        one[0], three[0], three[0] / one[0], one[1], three[1], three[1] / Math.max(1e-9, one[1]));
    assertThat(three[0]).isPositive();
  }

  /** Answered requests and accepted holds per second. */
  private double[] holdsPerSecond(int size) throws Exception {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.POSTGRES)) {
      List<NodeProcess> nodes = NodeProcess.plan(size, db, nodeSettings());
      try {
        nodes.forEach(NodeProcess::start);
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> nodes.stream().allMatch(NodeProcess::ready));
        List<String> kitchens = kitchens(nodes.get(0), KITCHENS);
        idle(size, nodes, db);
        try (HoldLoad load =
            new HoldLoad(
                nodes,
                kitchens,
                id -> token(id, "renter"),
                16,
                WARM_UP.plus(MEASURE).plusSeconds(5),
                DAYS)) {
          // Fixed windows: this measures a rate over a time, it does not wait for a condition.
          Thread.sleep(WARM_UP.toMillis());
          long[] start = load.counters();
          long ackedFrom = load.acked.size();
          long cpuFrom = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum();
          Map<String, Long> poolsFrom = pools(nodes);
          long commitsFrom = commits(db);
          Instant from = Instant.now();
          Thread.sleep(MEASURE.toMillis());
          double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
          long[] end = load.counters();
          long accepted = load.acked.size() - ackedFrom;
          long cpu = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum() - cpuFrom;
          long commits = commits(db) - commitsFrom;
          long served = end[0] - start[0] - (end[1] - start[1]);
          Map<String, Long> poolsTo = pools(nodes);
          StringBuilder byPool = new StringBuilder();
          poolsTo.entrySet().stream()
              .map(
                  e -> Map.entry(e.getKey(), e.getValue() - poolsFrom.getOrDefault(e.getKey(), 0L)))
              .filter(e -> e.getValue() > 0)
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(12)
              .forEach(
                  e ->
                      byPool.append(
                          String.format(
                              " %s=%.2f",
                              e.getKey(), (double) e.getValue() / Math.max(1, served))));
          System.out.printf(
              "[throughput] %d node(s): node CPU ms per answered request by thread pool:%s%n",
              size, byPool);
          System.out.printf(
              "[throughput] %d node(s): %d requests, %d errors in %.1f s; node CPU %d ms, %.2f ms per"
                  + " answered request; %d database commits, %.2f per answered request; %s%n",
              size,
              end[0] - start[0],
              end[1] - start[1],
              seconds,
              cpu,
              served == 0 ? 0.0 : (double) cpu / served,
              commits,
              served == 0 ? 0.0 : (double) commits / served,
              load);
          System.out.printf(
              "[throughput] %d node(s): %.1f accepted holds/s; node CPU %.2f ms per accepted hold;"
                  + " %.2f database commits per accepted hold%n",
              size,
              accepted / seconds,
              accepted == 0 ? 0.0 : (double) cpu / accepted,
              accepted == 0 ? 0.0 : (double) commits / accepted);
          return new double[] {served / seconds, accepted / seconds};
        }
      } finally {
        nodes.forEach(NodeProcess::close);
      }
    }
  }

  /**
   * What the nodes cost with no requests (heartbeats, gossip, the projections' and the read
   * journal's polling, timers): CPU and database commits per second over an idle window, before the
   * load starts. This cost does not grow with requests, so it weighs more per request the fewer
   * requests there are, and three JVMs pay it three times (less the projections, which are spread
   * over the nodes).
   */
  private static void idle(int size, List<NodeProcess> nodes, TestDatabase db) throws Exception {
    Duration window = Duration.ofSeconds(Long.getLong("hearth.measure.idle-seconds", 10));
    if (window.isZero()) return;
    long cpuFrom = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum();
    Map<String, Long> poolsFrom = pools(nodes);
    long commitsFrom = commits(db);
    // A fixed window: this measures a rate over a time, it does not wait for a condition.
    Thread.sleep(window.toMillis());
    double seconds = window.toMillis() / 1000.0;
    long cpu = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum() - cpuFrom;
    Map<String, Long> poolsTo = pools(nodes);
    StringBuilder byPool = new StringBuilder();
    poolsTo.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - poolsFrom.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> byPool.append(String.format(" %s=%.1f", e.getKey(), e.getValue() / seconds)));
    System.out.printf(
        "[throughput] %d node(s) idle: node CPU %.1f ms/s (%s ), %.1f database commits/s%n",
        size, cpu / seconds, byPool, (commits(db) - commitsFrom) / seconds);
  }

  /**
   * Extra node settings for both runs: {@code -Dhearth.measure.node-settings=key=value,key=value}.
   */
  private static Map<String, String> nodeSettings() {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    for (String pair : System.getProperty("hearth.measure.node-settings", "").split(",")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return settings;
  }

  /** CPU ms by thread pool, summed over the nodes. */
  private static Map<String, Long> pools(List<NodeProcess> nodes) {
    Map<String, Long> sum = new java.util.TreeMap<>();
    for (NodeProcess node : nodes)
      node.threadCpuMillis().forEach((pool, ms) -> sum.merge(pool, ms, Long::sum));
    return sum;
  }

  /**
   * Transactions committed in the test's database so far (PostgreSQL's statistics, flushed about
   * every second).
   */
  private static long commits(TestDatabase db) throws Exception {
    try (var c = db.connect();
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> kitchens(NodeProcess via, int count) throws Exception {
    String host = token("host-1", "host");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode k =
          TestNode.MAPPER.readTree(
              post(
                  via,
                  "/v1/kitchens",
                  host,
                  "{\"name\":\"Load kitchen "
                      + i
                      + "\",\"time_zone\":\"Europe/Berlin\",\"hourly_rate_cents\":2500}"));
      ids.add(k.get("kitchen_id").asText());
      post(via, "/v1/kitchens/" + ids.get(i) + "/publish", host, null);
    }
    return ids;
  }

  private static String post(NodeProcess node, String path, String token, String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    return NodeProcess.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private String token(String subject, String role) {
    return auth.mint(subject, List.of(role), Duration.ofHours(1), Clock.systemUTC());
  }
}
