package com.hearth.loadtest;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Uniform holds over many kitchens, each hold a distinct slot so every one is accepted: the load
 * under which journal writes of different kitchens can share transactions. Creates and publishes
 * the kitchens first, then times the holds alone and prints throughput, latency percentiles and,
 * when given the node's pid and the database URL, CPU per accepted hold of the node and of
 * PostgreSQL (from /proc) and how many journal rows each write transaction carried.
 *
 * <p>Usage: {@code java -cp ... com.hearth.loadtest.ManyKitchens http://127.0.0.1:PORT <jwt-secret>
 * [kitchens=1000] [holds=10000] [concurrency=64] [node-pid] [jdbc:postgresql://127.0.0.1:5432/db]}.
 * Loopback only, bounded in requests, stops by itself.
 */
public final class ManyKitchens {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: ManyKitchens <base-url> <jwt-secret> [kitchens] [holds] [concurrency] [node-pid] [jdbc-url]");
      System.exit(2);
    }
    URI base = Loopback.target(args[0]);
    Algorithm key = Algorithm.HMAC256(args[1]);
    int kitchens = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int holds = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 64;
    String nodePid = args.length > 5 ? args[5] : null;
    String jdbcUrl = args.length > 6 ? args[6] : null;
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql://127.0.0.1"))
      throw new IllegalArgumentException("loopback database only");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String host = Loopback.token(key, "many-host", "host");
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    // Creation starts a new entity per kitchen: a few at a time, each step retried once if the node
    // is slow.
    ExecutorService creators = Executors.newFixedThreadPool(8);
    List<Future<?>> setup = new ArrayList<>();
    for (int k = 0; k < kitchens; k++) {
      setup.add(
          creators.submit(
              () -> {
                JsonNode kitchen =
                    sendRetrying(
                        client,
                        post(
                            base,
                            "/v1/kitchens",
                            host,
                            "{\"name\":\"Many kitchens\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":4000,"
                                + "\"rules\":{\"min_notice_minutes\":0,\"horizon_days\":365}}"));
                String id = kitchen.get("kitchen_id").asText();
                sendRetrying(client, post(base, "/v1/kitchens/" + id + "/publish", host, ""));
                ids.add(id);
                return id;
              }));
    }
    for (Future<?> f : setup) f.get(10, TimeUnit.MINUTES);
    creators.shutdown();

    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 200; i++) tokens.add(Loopback.token(key, "many-renter-" + i, "renter"));
    Instant firstSlot =
        LocalDate.now(ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    Semaphore inFlight = new Semaphore(concurrency);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
    List<CompletableFuture<?>> all = new ArrayList<>();
    double[] cpuBefore = cpu(nodePid);
    long journalFrom = journalEnd(jdbcUrl);
    long began = System.nanoTime();
    for (int i = 0; i < holds; i++) {
      String kitchenId = ids.get(i % ids.size());
      Instant start = firstSlot.plus(Duration.ofHours(i / ids.size()));
      String body =
          "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}";
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
                    latencies.add(System.nanoTime() - sent);
                    statuses.merge(failure != null ? -1 : response.statusCode(), 1, Integer::sum);
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - began) / 1e9;
    double[] cpuAfter = cpu(nodePid);

    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    int accepted = statuses.getOrDefault(201, 0);
    System.out.printf(
        "kitchens=%d holds=%d concurrency=%d seconds=%.2f throughput=%.0f/s%n",
        ids.size(), holds, concurrency, seconds, holds / seconds);
    System.out.printf(
        "latency ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n",
        pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1e6);
    System.out.println("statuses: " + statuses);
    if (nodePid != null && accepted > 0)
      System.out.printf(
          "CPU ms per accepted hold: node %.3f, postgres %.3f%n",
          (cpuAfter[0] - cpuBefore[0]) * 1000 / accepted,
          (cpuAfter[1] - cpuBefore[1]) * 1000 / accepted);
    if (jdbcUrl != null && accepted > 0) {
      long[] writes = journalWrites(jdbcUrl, journalFrom);
      System.out.printf(
          "journal: %d rows in %d transactions, %.2f rows per transaction, %.3f transactions per accepted hold%n",
          writes[0], writes[1], (double) writes[0] / writes[1], (double) writes[1] / accepted);
    }
    System.exit(statuses.keySet().stream().anyMatch(s -> s < 0 || s >= 500) ? 1 : 0);
  }

  /**
   * CPU seconds of the node's process and of every PostgreSQL process now (ones that ended are
   * lost).
   */
  private static double[] cpu(String nodePid) throws IOException {
    if (nodePid == null) return new double[2];
    double postgres = 0;
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        try {
          if (Files.readString(p.resolve("comm")).startsWith("postgres")) postgres += seconds(p);
        } catch (IOException gone) {
          // The process ended while being read.
        }
      }
    }
    return new double[] {seconds(Path.of("/proc", nodePid)), postgres};
  }

  private static double seconds(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12]))
        / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
  }

  /** The journal's highest ordering now, after which the holds' rows will come. */
  private static long journalEnd(String jdbcUrl) throws Exception {
    if (jdbcUrl == null) return 0;
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement ps =
            c.prepareStatement("SELECT coalesce(max(ordering), 0) FROM event_journal");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Journal rows written after {@code from} and the transactions that wrote them: rows with one
   * {@code xmin} were inserted by one transaction, so their ratio is the journal's batching.
   */
  private static long[] journalWrites(String jdbcUrl, long from) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*), count(DISTINCT xmin::text) FROM event_journal WHERE ordering > ?")) {
      ps.setLong(1, from);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static JsonNode sendRetrying(HttpClient client, HttpRequest request) throws Exception {
    try {
      return send(client, request);
    } catch (IllegalStateException unavailable) {
      return send(client, request);
    }
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
