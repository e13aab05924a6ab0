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
 * database each time), 30 s each after a 10 s warm-up, with the node CPU by thread pool. Run with
 * {@code -Dhearth.measure=true -Dtest=ClusterThroughputMeasurement}; options in docs/operations.md
 * ("Where the time goes when a request lands on another node").
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

  /**
   * One run per entry of {@code -Dhearth.measure.plan} (default {@code 1,3}): a node count and
   * optionally a variant, {@code 3:lean}, whose node settings come from {@code
   * -Dhearth.measure.variant.lean=key=value,...} on top of {@code hearth.measure.node-settings} (a
   * key starting with "-" is a JVM option). Alternating and repeating runs of the variants in one
   * plan compares them on the same machine state; the summary gives each variant's mean three-node
   * rate against the mean one-node rate of the same variant (or of the base when the plan has no
   * one-node run of it).
   */
  @Test
  void oneNodeAgainstThree() throws Exception {
    List<String[]> plan = new ArrayList<>();
    for (String entry : System.getProperty("hearth.measure.plan", "1,3").split(",")) {
      if (entry.isBlank()) continue;
      String[] parts = entry.trim().split(":", 2);
      plan.add(new String[] {parts[0], parts.length > 1 ? parts[1] : "base"});
    }
    List<String> summary = new ArrayList<>();
    Map<String, List<double[]>> rates = new java.util.LinkedHashMap<>();
    for (String[] run : plan) {
      int size = Integer.parseInt(run[0]);
      double[] r = holdsPerSecond(size, run[1], summary);
      rates.computeIfAbsent(size + ":" + run[1], k -> new ArrayList<>()).add(r);
    }
    summary.forEach(System.out::println);
    for (Map.Entry<String, List<double[]>> e : rates.entrySet()) {
      if (!e.getKey().startsWith("3:")) continue;
      String variant = e.getKey().substring(2);
      List<double[]> one = rates.getOrDefault("1:" + variant, rates.get("1:base"));
      if (one == null) continue;
      double[] three = mean(e.getValue());
      double[] single = mean(one);
      System.out.printf(
          "[throughput] variant %s: 3 nodes %.1f holds/s (%d runs) against 1 node %.1f (%d runs,"
              + " %s): ratio %.2f; accepted %.1f against %.1f, ratio %.2f%n",
          variant,
          three[0],
          e.getValue().size(),
          single[0],
          one.size(),
          rates.containsKey("1:" + variant) ? variant : "base",
          three[0] / single[0],
          three[1],
          single[1],
          three[1] / Math.max(1e-9, single[1]));
    }
    assertThat(rates).isNotEmpty();
  }

  private static double[] mean(List<double[]> runs) {
    double[] m = new double[2];
    for (double[] r : runs) {
      m[0] += r[0] / runs.size();
      m[1] += r[1] / runs.size();
    }
    return m;
  }

  /** CPU ms by pool between two snapshots of every node's threads. */
  private static Map<String, Long> poolDelta(
      List<Map<Long, Long>> from, List<Map<Long, Long>> to, List<Map<Long, String>> names) {
    Map<String, Long> pools = new java.util.TreeMap<>();
    for (int i = 0; i < to.size(); i++)
      for (Map.Entry<Long, Long> t : to.get(i).entrySet()) {
        long delta = t.getValue() - from.get(i).getOrDefault(t.getKey(), 0L);
        if (delta > 0)
          pools.merge(names.get(i).getOrDefault(t.getKey(), "(ended)"), delta, Long::sum);
      }
    return pools;
  }

  private static String byPool(Map<String, Long> pools, double divisor, int limit) {
    StringBuilder b = new StringBuilder();
    pools.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .forEach(e -> b.append(String.format(" %s=%.2f", e.getKey(), e.getValue() / divisor)));
    return b.toString();
  }

  private static List<Map<Long, String>> names(List<NodeProcess> nodes) {
    return nodes.stream().map(NodeProcess::threadPools).toList();
  }

  private static List<Map<Long, Long>> tasks(List<NodeProcess> nodes) {
    return nodes.stream().map(NodeProcess::taskCpuMillis).toList();
  }

  /** Answered requests and accepted holds per second. */
  private double[] holdsPerSecond(int size, String variant, List<String> summary) throws Exception {
    try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.POSTGRES)) {
      List<NodeProcess> nodes = NodeProcess.plan(size, db, nodeSettings(variant));
      try {
        nodes.forEach(NodeProcess::start);
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> nodes.stream().allMatch(NodeProcess::ready));
        List<String> kitchens = kitchens(nodes.get(0), KITCHENS);
        double idle = idle(size, variant, nodes, db);
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
          List<Map<Long, String>> namesFrom = names(nodes);
          long[] start = load.counters();
          long ackedFrom = load.acked.size();
          long cpuFrom = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum();
          List<Map<Long, Long>> tasksFrom = tasks(nodes);
          long commitsFrom = commits(db);
          Instant from = Instant.now();
          Thread.sleep(MEASURE.toMillis());
          double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
          long[] end = load.counters();
          long accepted = load.acked.size() - ackedFrom;
          long cpu = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum() - cpuFrom;
          List<Map<Long, Long>> tasksTo = tasks(nodes);
          long commits = commits(db) - commitsFrom;
          long served = end[0] - start[0] - (end[1] - start[1]);
          List<Map<Long, String>> namesTo = names(nodes);
          for (int i = 0; i < namesTo.size(); i++) {
            namesTo.get(i).putAll(namesFrom.get(i));
          }
          Map<String, Long> pools = poolDelta(tasksFrom, tasksTo, namesTo);
          System.out.printf(
              "[throughput] %d node(s) %s: node CPU ms per answered request by thread pool:%s%n",
              size, variant, byPool(pools, Math.max(1, served), 14));
          System.out.printf(
              "[throughput] %d node(s) %s: %d requests, %d errors in %.1f s; node CPU %d ms, %.2f ms"
                  + " per answered request; %d database commits, %.2f per answered request; %s%n",
              size,
              variant,
              end[0] - start[0],
              end[1] - start[1],
              seconds,
              cpu,
              served == 0 ? 0.0 : (double) cpu / served,
              commits,
              served == 0 ? 0.0 : (double) commits / served,
              load);
          System.out.printf(
              "[throughput] %d node(s) %s: %.1f accepted holds/s; node CPU %.2f ms per accepted"
                  + " hold; %.2f database commits per accepted hold%n",
              size,
              variant,
              accepted / seconds,
              accepted == 0 ? 0.0 : (double) cpu / accepted,
              accepted == 0 ? 0.0 : (double) commits / accepted);
          summary.add(
              String.format(
                  "[throughput] summary %d %-10s answered/s %7.1f accepted/s %7.1f"
                      + " cpu/answered %.2f commits/accepted %.2f idle %.0f ms/s",
                  size,
                  variant,
                  served / seconds,
                  accepted / seconds,
                  served == 0 ? 0.0 : (double) cpu / served,
                  accepted == 0 ? 0.0 : (double) commits / accepted,
                  idle));
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
  private static double idle(int size, String variant, List<NodeProcess> nodes, TestDatabase db)
      throws Exception {
    Duration window = Duration.ofSeconds(Long.getLong("hearth.measure.idle-seconds", 10));
    if (window.isZero()) return 0;
    List<Map<Long, String>> namesFrom = names(nodes);
    long cpuFrom = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum();
    List<Map<Long, Long>> tasksFrom = tasks(nodes);
    long commitsFrom = commits(db);
    // A fixed window: this measures a rate over a time, it does not wait for a condition.
    Thread.sleep(window.toMillis());
    double seconds = window.toMillis() / 1000.0;
    long cpu = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum() - cpuFrom;
    List<Map<Long, Long>> tasksTo = tasks(nodes);
    long commits = commits(db) - commitsFrom;
    List<Map<Long, String>> namesTo = names(nodes);
    for (int i = 0; i < namesTo.size(); i++) namesTo.get(i).putAll(namesFrom.get(i));
    System.out.printf(
        "[throughput] %d node(s) %s idle: node CPU %.1f ms/s (%s ), %.1f database commits/s%n",
        size,
        variant,
        cpu / seconds,
        byPool(poolDelta(tasksFrom, tasksTo, namesTo), seconds, 10),
        commits / seconds);
    return cpu / seconds;
  }

  /**
   * The nodes compile as a node in production does (C1, then C2), not as the tests' nodes do (C1
   * only, which starts faster): compiled by C1 alone, the hop's many layers cost about twice as
   * much, and the ratio measured the test setting. C2 needs a long warm-up on three JVMs sharing
   * two cores (180 s; at 40 s its compiler threads still took 2.3 ms per request). Either setting
   * can be overridden by {@code hearth.measure.node-settings}.
   */
  private static final Map<String, String> PRODUCTION_JIT =
      Map.of("-XX:TieredStopAtLevel", "4", "-XX:CICompilerCount", "2");

  /**
   * Extra node settings for every run: {@link #PRODUCTION_JIT}, then {@code
   * -Dhearth.measure.node-settings=key=value,key=value}, then those of the run's variant, {@code
   * -Dhearth.measure.variant.NAME=key=value,...}.
   */
  private static Map<String, String> nodeSettings(String variant) {
    Map<String, String> settings = new java.util.LinkedHashMap<>(PRODUCTION_JIT);
    for (String source :
        List.of(
            System.getProperty("hearth.measure.node-settings", ""),
            System.getProperty("hearth.measure.variant." + variant, "")))
      for (String pair : source.split(",")) {
        if (pair.isBlank()) continue;
        int eq = pair.indexOf('=');
        settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    return settings;
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
