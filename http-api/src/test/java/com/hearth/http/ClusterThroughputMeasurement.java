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
 * A measurement, not part of the suite: holds per second over 24 kitchens from 16 clients (or the
 * counts in {@code hearth.measure.clients}), round-robin over one node and then over three (JVMs of
 * their own with production JVM settings, on loopback, one fresh PostgreSQL database each time), 30
 * s each after a 10 s warm-up, with the node CPU by thread pool and the machine's, PostgreSQL's and
 * the load's CPU. Run with {@code -Dhearth.measure=true -Dtest=ClusterThroughputMeasurement};
 * options in docs/operations.md ("Where the time goes when a request lands on another node").
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
      holdsPerSecond(Integer.parseInt(run[0]), run[1], summary, rates);
    }
    summary.forEach(System.out::println);
    for (Map.Entry<String, List<double[]>> e : rates.entrySet()) {
      if (!e.getKey().startsWith("3:")) continue;
      String variant = e.getKey().substring(2, e.getKey().indexOf('@'));
      String clients = e.getKey().substring(e.getKey().indexOf('@'));
      List<double[]> one =
          rates.getOrDefault("1:" + variant + clients, rates.get("1:base" + clients));
      if (one == null) continue;
      double[] three = mean(e.getValue());
      double[] single = mean(one);
      System.out.printf(
          "[throughput] variant %s, %s clients: 3 nodes %.1f holds/s (%d runs) against 1 node %.1f"
              + " (%d runs, %s): ratio %.2f; accepted %.1f against %.1f, ratio %.2f%n",
          variant,
          clients.substring(1),
          three[0],
          e.getValue().size(),
          single[0],
          one.size(),
          rates.containsKey("1:" + variant + clients) ? variant : "base",
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

  /**
   * The client counts measured on each set of nodes, {@code -Dhearth.measure.clients=16,64}
   * (default 16): the first runs through the warm-up, each further one gets its own new load and a
   * ramp of {@code hearth.measure.ramp-seconds} (10) before its window. Each client has one request
   * in flight, so a count too small for the nodes' latency measures the latency, not what the nodes
   * can serve: the summary gives the machine's busy share to tell.
   */
  private static final List<Integer> CLIENTS =
      java.util.Arrays.stream(System.getProperty("hearth.measure.clients", "16").split(","))
          .filter(c -> !c.isBlank())
          .map(c -> Integer.parseInt(c.trim()))
          .toList();

  /**
   * {@code -Dhearth.measure.routing=kitchen}: the load sends each kitchen's holds to the node that
   * hosts it, as a balancer that knows the shards would, instead of round-robin (the default): no
   * request then crosses to another node.
   */
  private static final boolean KITCHEN_ROUTING =
      "kitchen".equals(System.getProperty("hearth.measure.routing", "round-robin"));

  /**
   * Which node hosts each kitchen, from the shards each node's region lists in {@code GET
   * /hearth/cluster} and Pekko's default shard of an entity, {@code abs(id.hashCode() % 100)}.
   */
  private static java.util.function.Function<String, NodeProcess> hosts(
      List<NodeProcess> nodes, List<String> kitchens) throws Exception {
    HttpResponse<String> r =
        NodeProcess.CLIENT.send(
            HttpRequest.newBuilder(URI.create(nodes.get(0).managementUrl() + "/hearth/cluster"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode perNode = TestNode.MAPPER.readTree(r.body()).path("kitchens").path("nodes");
    Map<String, NodeProcess> byShard = new java.util.HashMap<>();
    for (NodeProcess n : nodes)
      for (JsonNode shard : perNode.path(n.clusterAddress()).path("shard_ids"))
        byShard.put(shard.asText(), n);
    Map<String, NodeProcess> byKitchen = new java.util.HashMap<>();
    for (String k : kitchens) {
      NodeProcess host = byShard.get(String.valueOf(Math.abs(k.hashCode() % 100)));
      if (host == null)
        throw new IllegalStateException("no node lists the shard of kitchen " + k + ": " + perNode);
      byKitchen.put(k, host);
    }
    System.out.printf(
        "[throughput] routing by kitchen: %s%n",
        nodes.stream()
            .map(n -> n.name + " hosts " + byKitchen.values().stream().filter(n::equals).count())
            .toList());
    return byKitchen::get;
  }

  private static final Duration RAMP =
      Duration.ofSeconds(Long.getLong("hearth.measure.ramp-seconds", 10));

  /**
   * Answered requests and accepted holds per second, one pair per client count, each keyed by
   * {@code size:variant@clients} in {@code rates}.
   */
  private void holdsPerSecond(
      int size, String variant, List<String> summary, Map<String, List<double[]>> rates)
      throws Exception {
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
        for (int i = 0; i < CLIENTS.size(); i++) {
          int clients = CLIENTS.get(i);
          Duration before = i == 0 ? WARM_UP : RAMP;
          try (HoldLoad load =
              new HoldLoad(
                  nodes,
                  kitchens,
                  id -> token(id, "renter"),
                  clients,
                  before.plus(MEASURE).plusSeconds(5),
                  DAYS)) {
            if (KITCHEN_ROUTING && size > 1) load.routeBy(hosts(nodes, kitchens));
            // Fixed windows: this measures a rate over a time, it does not wait for a condition.
            Thread.sleep(before.toMillis());
            double[] r = window(size, variant, clients, nodes, db, load, idle, summary);
            rates
                .computeIfAbsent(size + ":" + variant + "@" + clients, k -> new ArrayList<>())
                .add(r);
          }
        }
      } finally {
        nodes.forEach(NodeProcess::close);
      }
    }
  }

  /** One measured window of a running load: answered requests and accepted holds per second. */
  private static double[] window(
      int size,
      String variant,
      int clients,
      List<NodeProcess> nodes,
      TestDatabase db,
      HoldLoad load,
      double idle,
      List<String> summary)
      throws Exception {
    List<Map<Long, String>> namesFrom = names(nodes);
    long[] start = load.counters();
    long ackedFrom = load.acked.size();
    long cpuFrom = nodes.stream().mapToLong(NodeProcess::cpuMillis).sum();
    List<Map<Long, Long>> tasksFrom = tasks(nodes);
    long commitsFrom = commits(db);
    MachineCpu machineFrom = MachineCpu.now();
    Instant from = Instant.now();
    // A fixed window: this measures a rate over a time, it does not wait for a condition.
    Thread.sleep(MEASURE.toMillis());
    double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
    MachineCpu machine = MachineCpu.now().since(machineFrom);
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
    String label = size + " node(s) " + variant + ", " + clients + " clients";
    double perServed = Math.max(1, served);
    System.out.printf(
        "[throughput] %s: node CPU ms per answered request by thread pool:%s%n",
        label, byPool(pools, perServed, 14));
    System.out.printf(
        "[throughput] %s: %d requests, %d errors in %.1f s; node CPU %d ms, %.2f ms per answered"
            + " request; %d database commits, %.2f per answered request; %s%n",
        label,
        end[0] - start[0],
        end[1] - start[1],
        seconds,
        cpu,
        cpu / perServed,
        commits,
        commits / perServed,
        load);
    System.out.printf(
        "[throughput] %s: %.1f accepted holds/s; node CPU %.2f ms per accepted hold; %.2f database"
            + " commits per accepted hold%n",
        label,
        accepted / seconds,
        accepted == 0 ? 0.0 : (double) cpu / accepted,
        accepted == 0 ? 0.0 : (double) commits / accepted);
    System.out.printf(
        "[throughput] %s: machine %.0f %% busy; per answered request: PostgreSQL %.2f ms, the"
            + " load's JVM %.2f ms, everything else (kernel, other processes) %.2f ms%n",
        label,
        100 * machine.busyShare(),
        machine.postgresMillis() / perServed,
        machine.clientMillis() / perServed,
        (machine.busyMillis() - cpu - machine.postgresMillis() - machine.clientMillis())
            / perServed);
    summary.add(
        String.format(
            "[throughput] summary %d %-10s clients %3d answered/s %7.1f accepted/s %7.1f"
                + " mean latency %.1f ms cpu/answered %.2f pg/answered %.2f machine busy %.0f %%"
                + " commits/accepted %.2f idle %.0f ms/s",
            size,
            variant,
            clients,
            served / seconds,
            accepted / seconds,
            served == 0 ? 0.0 : clients * seconds * 1000 / served,
            cpu / perServed,
            machine.postgresMillis() / perServed,
            100 * machine.busyShare(),
            accepted == 0 ? 0.0 : (double) commits / accepted,
            idle));
    return new double[] {served / seconds, accepted / seconds};
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
   * The nodes run as a node in production does, not as the tests' nodes do. They compile with C1
   * and then C2, not C1 alone (which starts faster): compiled by C1 alone, the hop's many layers
   * cost about twice as much, and the ratio measured the test setting. C2 needs a long warm-up on
   * three JVMs sharing two cores (300 s on a slow machine). And they collect garbage with the JVM's
   * default collector (G1) in a 2 GiB heap, as {@code run-benchmarks} gives its node, not with the
   * tests' serial collector in 512 MiB: one node holds three nodes' kitchens, and in 512 MiB its
   * collector took 0.74 ms of every request (2026-11-30), which measured the heap, not the cluster.
   * Any of these can be overridden by {@code hearth.measure.node-settings}.
   */
  private static final Map<String, String> PRODUCTION_JVM =
      Map.of(
          "-XX:TieredStopAtLevel", "4",
          "-XX:CICompilerCount", "2",
          "-XX:-UseSerialGC", "",
          "-Xmx", "2g");

  /**
   * Extra node settings for every run: {@link #PRODUCTION_JVM}, then {@code
   * -Dhearth.measure.node-settings=key=value,key=value}, then those of the run's variant, {@code
   * -Dhearth.measure.variant.NAME=key=value,...}.
   */
  private static Map<String, String> nodeSettings(String variant) {
    Map<String, String> settings = new java.util.LinkedHashMap<>(PRODUCTION_JVM);
    for (String source :
        List.of(
            System.getProperty("hearth.measure.node-settings", ""),
            System.getProperty("hearth.measure.variant." + variant, "")))
      for (String pair : source.split(",")) {
        if (pair.isBlank()) continue;
        int eq = pair.indexOf('=');
        if (eq < 0 && pair.trim().startsWith("-")) {
          settings.put(pair.trim(), "");
          continue;
        }
        if (eq < 1)
          throw new IllegalArgumentException(
              "a node setting is key=value or a JVM flag (-XX:+AlwaysPreTouch), not \""
                  + pair
                  + "\"");
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
