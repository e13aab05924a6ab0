package com.hearth.loadtest;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hearth.loadtest.bench.ProcCpu;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the read side's cost per event grows with history: the same burst of holds is measured on
 * a young system, then again after the journal has grown by a million events and one kitchen by ten
 * thousand bookings, both on that kitchen and on a new one. For each burst it reports, per
 * projected event, PostgreSQL's CPU (all its processes, from /proc), the node's CPU (when its pid
 * is given) and the rows PostgreSQL read and wrote (pg_stat_user_tables) until the read tables held
 * every booking of the burst. PostgreSQL's CPU is that of the server processes serving the node's
 * database (its connections' backends, counted while they live), so that other work on the same
 * server does not count.
 *
 * <p>Usage: {@code ReadSideCost <base-url> <jwt-secret> <jdbc-url-of-the-node's-database>
 * [filler-events=1000000] [history-bookings=10000] [burst=2000] [node-pid]}. Run the node with
 * {@code HEARTH_HOLD_TTL=2h} so that no hold expires during the run. Loopback only; bounded.
 */
public final class ReadSideCost {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Algorithm key;
  private final String jdbcUrl;
  private final long nodePid;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> renters = new ArrayList<>();
  private final String host;

  private ReadSideCost(URI base, Algorithm key, String jdbcUrl, long nodePid) {
    this.base = base;
    this.key = key;
    this.jdbcUrl = jdbcUrl;
    this.nodePid = nodePid;
    this.host = Loopback.token(key, "cost-host", "host");
    for (int i = 0; i < 100; i++) renters.add(Loopback.token(key, "cost-renter-" + i, "renter"));
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: ReadSideCost <base-url> <jwt-secret> <jdbc-url> [filler-events] [history-bookings] [burst] [node-pid]");
      System.exit(2);
    }
    long filler = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000;
    int history = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
    int burst = args.length > 5 ? Integer.parseInt(args[5]) : 2_000;
    long pid = args.length > 6 ? Long.parseLong(args[6]) : -1;
    if (!args[2].startsWith("jdbc:postgresql://127.0.0.1")
        && !args[2].startsWith("jdbc:postgresql://localhost"))
      throw new IllegalArgumentException("the database must be on this machine: " + args[2]);
    ReadSideCost run =
        new ReadSideCost(Loopback.target(args[0]), Algorithm.HMAC256(args[1]), args[2], pid);

    String a = run.kitchen("history kitchen");
    List<String> rows = new ArrayList<>();
    rows.add(
        run.measure(
            "young: journal " + run.journalSize() + " events, kitchen with 0 bookings",
            a,
            0,
            burst));
    long began = System.nanoTime();
    run.fillJournal(filler);
    run.holds(a, burst, history, 64);
    run.awaitRows(a, burst + history);
    System.out.printf(
        "grew the journal by %d events and the kitchen by %d bookings in %.0f s%n",
        filler, history, (System.nanoTime() - began) / 1e9);
    rows.add(
        run.measure(
            "old: journal "
                + run.journalSize()
                + " events, same kitchen with "
                + (burst + history)
                + " bookings",
            a,
            burst + history,
            burst));
    String b = run.kitchen("new kitchen");
    rows.add(
        run.measure(
            "old: journal " + run.journalSize() + " events, new kitchen with 0 bookings",
            b,
            0,
            burst));
    System.out.println();
    System.out.println(
        "| phase | events | PG CPU ms/event | node CPU ms/event | rows read/event | rows written/event |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /**
   * Places {@code count} holds on distinct slots and reports the cost per event until the read
   * tables hold them.
   */
  private String measure(String phase, String kitchenId, int already, int count) throws Exception {
    Snapshot before = snapshot();
    int accepted = holds(kitchenId, already, count, 32);
    awaitRows(kitchenId, already + accepted);
    Snapshot after = snapshot();
    double n = accepted;
    String node =
        nodePid > 0 ? String.format("%.3f", (after.nodeCpu - before.nodeCpu) * 1000 / n) : "n/a";
    String row =
        String.format(
            "| %s | %d | %.3f | %s | %.1f | %.1f |",
            phase,
            accepted,
            after.pgSecondsSince(before) * 1000 / n,
            node,
            (after.read - before.read) / n,
            (after.written - before.written) / n);
    System.out.println(row + "   per table read: " + after.readDelta(before));
    return row;
  }

  private String kitchen(String name) throws Exception {
    String body =
        "{\"name\":\""
            + name
            + "\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":4000,"
            + "\"rules\":{\"min_notice_minutes\":0,\"horizon_days\":365,\"slot_minutes\":30,\"min_duration_minutes\":30}}";
    String id =
        JSON.readTree(send(post("/v1/kitchens", host, body), 201)).get("kitchen_id").asText();
    send(post("/v1/kitchens/" + id + "/publish", host, ""), 200);
    return id;
  }

  /**
   * Holds 30-minute slots {@code from .. from+count-1} of the kitchen's calendar (each slot once);
   * returns how many were accepted.
   */
  private int holds(String kitchenId, int from, int count, int concurrency) throws Exception {
    Instant first =
        LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      Instant start = first.plus(Duration.ofMinutes(30L * i));
      String body =
          "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofMinutes(30)) + "\"}";
      inFlight.acquire();
      all.add(
          client
              .sendAsync(
                  post(
                      "/v1/kitchens/" + kitchenId + "/bookings",
                      renters.get(i % renters.size()),
                      body),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    inFlight.release();
                    if (e == null && r.statusCode() == 201) accepted.incrementAndGet();
                    else failed.incrementAndGet();
                  }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    if (failed.get() > 0) System.out.println("  " + failed.get() + " holds were not accepted");
    return accepted.get();
  }

  /** Waits (bounded, two minutes) until the kitchen's bookings are all in the read table. */
  private void awaitRows(String kitchenId, int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM bookings WHERE kitchen_id = '" + kitchenId + "'")) {
        rs.next();
        if (rs.getLong(1) >= expected) return;
      }
      Thread.sleep(50); // polling interval of a bounded wait
    }
    throw new IllegalStateException("the read tables did not catch up within two minutes");
  }

  /**
   * Appends events of another tag straight to the journal: history the kitchens' projections must
   * not pay for.
   */
  private void fillJournal(long events) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp, event_ser_id,"
              + " event_ser_manifest, event_payload) SELECT 'Filler|' || (g % 10000), 1000000 + g, 'filler', 0, 1, 'filler',"
              + " decode(repeat('ab', 120), 'hex') FROM generate_series(1, "
              + events
              + ") g");
      s.execute(
          "INSERT INTO event_tag (event_id, tag) SELECT ordering, 'filler' FROM event_journal"
              + " WHERE persistence_id LIKE 'Filler|%'");
      s.execute("ANALYZE");
    }
  }

  private long journalSize() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM event_journal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private record Snapshot(
      Map<Long, Double> pgCpu,
      double nodeCpu,
      long read,
      long written,
      Map<String, Long> readByTable) {
    /** CPU seconds of the backends alive at both snapshots. */
    double pgSecondsSince(Snapshot before) {
      double total = 0;
      for (Map.Entry<Long, Double> backend : pgCpu.entrySet()) {
        Double then = before.pgCpu.get(backend.getKey());
        if (then != null) total += backend.getValue() - then;
      }
      return total;
    }

    String readDelta(Snapshot before) {
      Map<String, Long> delta = new TreeMap<>();
      readByTable.forEach(
          (t, v) -> {
            long d = v - before.readByTable.getOrDefault(t, 0L);
            if (d > 0) delta.put(t, d);
          });
      return delta.toString();
    }
  }

  private Snapshot snapshot() throws Exception {
    // Backends publish their table statistics at most once a second; wait that out so deltas are
    // complete.
    Thread.sleep(1_100);
    Map<String, Long> byTable = new TreeMap<>();
    long read = 0;
    long written = 0;
    Map<Long, Double> backends = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND pid <> pg_backend_pid()")) {
        while (rs.next()) {
          long millis = ProcCpu.processMillis(rs.getLong(1));
          if (millis >= 0)
            backends.put(rs.getLong(1), millis / 1000.0); // else the connection closed meanwhile
        }
      }
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0),"
                  + " n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
        while (rs.next()) {
          byTable.put(rs.getString(1), rs.getLong(2));
          read += rs.getLong(2);
          written += rs.getLong(3);
        }
      }
    }
    return new Snapshot(
        backends,
        nodePid > 0 ? ProcCpu.processMillis(nodePid) / 1000.0 : 0,
        read,
        written,
        byTable);
  }

  private HttpRequest post(String path, String token, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    if (json.isEmpty()) return b.POST(HttpRequest.BodyPublishers.noBody()).build();
    return b.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private String send(HttpRequest request, int expected) throws Exception {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected)
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
    return r.body();
  }
}
