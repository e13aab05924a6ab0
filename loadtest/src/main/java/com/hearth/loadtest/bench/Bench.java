package com.hearth.loadtest.bench;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.loadtest.sim.AvailabilityReads;
import com.hearth.loadtest.sim.ManyKitchens;
import com.hearth.loadtest.sim.MixedJourney;
import com.hearth.loadtest.sim.OneKitchenDistinctSlots;
import com.hearth.loadtest.sim.OpenRateHolds;
import com.hearth.loadtest.sim.Outcomes;
import com.hearth.loadtest.sim.Params;
import com.hearth.loadtest.sim.Stampede;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs every scenario against Hearth and both baselines, one phase at a time, and writes the
 * report. Started by {@code loadtest/run-benchmarks}, which starts (and stops) the services.
 *
 * <p>Options: {@code --out DIR --secret S --target NAME=URL,PID,DATABASE} (one per service, Hearth
 * first, named {@code hearth}, {@code exclude}, {@code forupdate}) {@code [--duration 15] [--users
 * 64] [--mixed-users 200] [--many 10000] [--scenarios a,b,c1k,c10k,d,e] [--setup-concurrency 64]}.
 */
public final class Bench {

  record Target(String name, String url, long pid, String database) {
    String jdbc() {
      return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }
  }

  record Scenario(String id, String title, Class<?> simulation, String unit, String request) {}

  static List<Scenario> scenarios(int many) {
    return List.of(
        new Scenario(
            "a",
            "one kitchen, every hold a distinct slot",
            OneKitchenDistinctSlots.class,
            "accepted holds",
            "hold"),
        new Scenario(
            "b",
            "stampede on 24 slots of one kitchen",
            Stampede.class,
            "decisions (201+409)",
            "hold"),
        new Scenario(
            "c1k",
            String.format("uniform holds over %,d kitchens", Math.min(1000, many)),
            ManyKitchens.class,
            "accepted holds",
            "hold"),
        new Scenario(
            "c10k",
            String.format("uniform holds over %,d kitchens", many),
            ManyKitchens.class,
            "accepted holds",
            "hold"),
        new Scenario(
            "d",
            String.format("availability reads (%,d kitchens)", Math.min(1000, many)),
            AvailabilityReads.class,
            "reads",
            "availability"),
        new Scenario(
            "e",
            "mixed journey (browse, availability, hold, pay, 10 % cancel)",
            MixedJourney.class,
            "accepted holds",
            "hold"));
  }

  /**
   * One measured phase: one scenario against one target. {@code ops}, {@code seconds} and the CPU
   * figures are of the phase's steady window ({@link SteadyWindow}), the statuses, latencies and
   * table statistics of the whole phase.
   */
  record Phase(
      Scenario scenario,
      Target target,
      long ops,
      double seconds,
      Map<Integer, Long> statuses,
      GatlingStats stats,
      long serviceCpuMs,
      long pgCpuMs,
      long pgDbCpuMs,
      Map<String, long[]> tables,
      int users,
      SteadyWindow window) {
    double perSecond() {
      return seconds > 0 ? ops / seconds : 0;
    }
  }

  /** Which answers count as the scenario's operation. */
  static Predicate<Outcomes.Answer> counts(String unit) {
    return switch (unit) {
      case "decisions (201+409)" -> a -> a.status() == 201 || a.status() == 409;
      case "reads" -> a -> a.status() == Outcomes.OP;
      default -> a -> a.status() == 201;
    };
  }

  private final Map<String, String> opts;
  private final Path out;
  private final Algorithm key;
  private final List<Target> targets = new ArrayList<>();
  private final int duration;
  private final int users;
  private final int many;
  private final List<Phase> phases = new ArrayList<>();
  private final Map<String, List<String>> acknowledged = new LinkedHashMap<>();
  private final Map<String, Double> setupSeconds = new LinkedHashMap<>();
  private final List<Scenario> scenarios;
  private final Report report;

  Bench(Map<String, String> opts, List<String> targetSpecs) {
    this.opts = opts;
    this.out = Path.of(opts.getOrDefault("out", "loadtest/target/bench")).toAbsolutePath();
    this.key = Algorithm.HMAC256(opts.get("secret"));
    this.duration = Integer.parseInt(opts.getOrDefault("duration", "15"));
    this.users = Integer.parseInt(opts.getOrDefault("users", "64"));
    this.many = Integer.parseInt(opts.getOrDefault("many", "10000"));
    for (String spec : targetSpecs) {
      String[] nameRest = spec.split("=", 2);
      String[] p = nameRest[1].split(",");
      targets.add(new Target(nameRest[0], p[0], Long.parseLong(p[1]), p[2]));
      acknowledged.put(nameRest[0], new ArrayList<>());
    }
    this.scenarios = scenarios(many);
    this.report = new Report(out, duration, users, scenarios);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> targets = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String k = args[i].replaceFirst("^--", "");
      if (k.equals("target")) targets.add(args[i + 1]);
      else opts.put(k, args[i + 1]);
    }
    if (!opts.containsKey("secret") || targets.isEmpty()) {
      System.err.println(
          "usage: Bench --out DIR --secret S --target NAME=URL,PID,DATABASE ... [--duration 15] [--users 64]"
              + " [--mixed-users 200] [--many 10000] [--scenarios a,b,c1k,c10k,d,e]");
      System.exit(2);
    }
    int status = new Bench(opts, targets).run();
    System.exit(status);
  }

  int run() throws Exception {
    Files.createDirectories(out);
    System.setProperty("bench.secret", opts.get("secret"));
    List<String> wanted = List.of(opts.getOrDefault("scenarios", "a,b,c1k,c10k,d,e").split(","));
    Map<String, List<String>> kitchens = new LinkedHashMap<>();
    // The 1,000-kitchen scenarios use the first 1,000 (fewer when --many is smaller, for a quick
    // check).
    int pool = wanted.contains("c10k") ? many : Math.min(1000, many);
    int setupConcurrency = Integer.parseInt(opts.getOrDefault("setup-concurrency", "64"));
    for (Target t : targets) {
      Instant began = Instant.now();
      // Hearth's kitchens through its API, many at a time (two events each, the creation and the
      // publication); the baselines' in one INSERT of their plain table, which is all their API's
      // create and publish would write.
      List<String> ids =
          t.name().equals("hearth")
              ? new Client(t.url(), key)
                  .createKitchens(pool, setupConcurrency, Duration.ofMinutes(10))
              : BaselineKitchens.insertPublished(t.jdbc(), pool);
      kitchens.put(t.name(), ids);
      Client.write(out.resolve("kitchens").resolve(t.name() + "-many.txt"), ids);
      Client.write(
          out.resolve("kitchens").resolve(t.name() + "-1000.txt"),
          ids.subList(0, Math.min(1000, ids.size())));
      setupSeconds.put(t.name(), Duration.between(began, Instant.now()).toMillis() / 1000.0);
      log("setup: %d kitchens on %s in %.1f s", pool, t.name(), setupSeconds.get(t.name()));
    }
    warmUp();
    Double hearthPeak = null;
    LagProbe.Result lag = null;
    for (Scenario s : scenarios) {
      if (!wanted.contains(s.id())) continue;
      for (Target t : targets) {
        Path kitchenFile =
            switch (s.id()) {
              case "a", "b" ->
                  Client.write(
                      out.resolve("kitchens").resolve(t.name() + "-" + s.id() + ".txt"),
                      new Client(t.url(), key).createKitchens(1, 1, Duration.ofSeconds(30)));
              case "c10k" -> out.resolve("kitchens").resolve(t.name() + "-many.txt");
              default -> out.resolve("kitchens").resolve(t.name() + "-1000.txt");
            };
        if (s.id().equals("c1k") || s.id().equals("c10k")) {
          Instant began = Instant.now();
          List<String> ids = Files.readAllLines(kitchenFile);
          new Client(t.url(), key).touch(ids, users, Duration.ofMinutes(5));
          log(
              "read the availability of the %d kitchens of phase %s on %s (not measured) in %.1f s",
              ids.size(),
              s.id(),
              t.name(),
              Duration.between(began, Instant.now()).toMillis() / 1000.0);
        }
        int phaseUsers =
            s.id().equals("e") ? Integer.parseInt(opts.getOrDefault("mixed-users", "200")) : users;
        LagProbe probe = null;
        if (s.id().equals("c1k") && t.name().equals("hearth")) {
          Client client = new Client(t.url(), key);
          probe =
              new LagProbe(
                  client,
                  client.createKitchens(4, 4, Duration.ofSeconds(30)),
                  Params.token(key, "lag-renter", "renter"));
        }
        Phase phase = measure(s, t, kitchenFile, phaseUsers, Map.of(), probe);
        if (probe != null) lag = probe.result();
        phases.add(phase);
        if (s.id().equals("a") && t.name().equals("hearth")) hearthPeak = phase.perSecond();
        // Written after every phase, so that a run stopped at its time bound leaves the phases it
        // measured; the final write adds the checks.
        report.write(targets, phases, null, lag, Map.of(), setupSeconds);
      }
    }
    Phase open = null;
    Target hearth = targets.get(0);
    if (hearthPeak != null && hearthPeak > 0 && hearth.name().equals("hearth")) {
      double rate = Math.max(1, Math.floor(0.7 * hearthPeak));
      Path kitchenFile =
          Client.write(
              out.resolve("kitchens").resolve("hearth-open.txt"),
              new Client(hearth.url(), key).createKitchens(1, 1, Duration.ofSeconds(30)));
      open =
          measure(
              new Scenario(
                  "a70",
                  "one kitchen at 70 % of (a)'s peak, open model",
                  OpenRateHolds.class,
                  "accepted holds",
                  "hold"),
              hearth,
              kitchenFile,
              0,
              Map.of("bench.rate", Double.toString(rate)),
              null);
    }
    report.write(targets, phases, open, lag, Map.of(), setupSeconds);
    Map<String, Integrity.Result> integrity = new LinkedHashMap<>();
    for (Target t : targets) {
      if (t.name().equals("hearth")) awaitReadModels(t);
      integrity.put(t.name(), Integrity.check(t.jdbc(), acknowledged.get(t.name())));
      log("integrity %s: %s", t.name(), integrity.get(t.name()));
      report.write(targets, phases, open, lag, integrity, setupSeconds);
    }
    Path written = report.write(targets, phases, open, lag, integrity, setupSeconds);
    log("report: %s", written);
    return integrity.values().stream().allMatch(Integrity.Result::ok) ? 0 : 1;
  }

  private Phase measure(
      Scenario s,
      Target t,
      Path kitchenFile,
      int phaseUsers,
      Map<String, String> extra,
      LagProbe probe)
      throws Exception {
    System.setProperty("bench.target", t.url());
    System.setProperty("bench.kitchens", kitchenFile.toString());
    System.setProperty("bench.users", Integer.toString(phaseUsers));
    System.setProperty("bench.duration", Integer.toString(duration));
    // c1k and c10k book distinct slots of the same kitchens from their first day on: c10k starts a
    // year later.
    System.setProperty("bench.dayOffset", s.id().equals("c10k") ? "365" : "0");
    extra.forEach(System::setProperty);
    Outcomes.reset();
    Path results = out.resolve("gatling").resolve(s.id() + "-" + t.name());
    Files.createDirectories(results);
    settle();
    Map<String, long[]> tablesBefore = PgStats.snapshot(t.jdbc());
    // CPU is sampled at the ends of the steady window, by a thread that waits for the first user.
    WindowSampler sampler = new WindowSampler(t.pid(), Duration.ofSeconds(duration)).begin();
    if (probe != null) probe.start();
    log("phase %s on %s: %s, %d users, %d s", s.id(), t.name(), s.title(), phaseUsers, duration);
    int gatling =
        gatling(s.simulation(), results, s.id() + " " + t.name() + ": " + s.title(), false);
    sampler.finish();
    if (probe != null) probe.stop();
    settle();
    Map<String, long[]> tables = PgStats.delta(tablesBefore, PgStats.snapshot(t.jdbc()));
    Map<Integer, Long> statuses = Outcomes.holdStatuses();
    acknowledged.get(t.name()).addAll(Outcomes.acceptedIds());
    WindowSampler.Sample from = sampler.start();
    WindowSampler.Sample to = sampler.end();
    boolean sampled = from != null && to != null;
    SteadyWindow window =
        SteadyWindow.of(
            Outcomes.answers(),
            counts(s.unit()),
            Outcomes.firstStartNanos(),
            Outcomes.lastStartNanos(),
            sampled ? from.atNanos() : 0,
            sampled ? to.atNanos() : 0,
            duration);
    GatlingStats stats =
        GatlingStats.of(GatlingStats.newestReport(results).orElse(null), Outcomes.latencies());
    Phase phase =
        new Phase(
            s,
            t,
            window.windowOps(),
            window.windowSeconds(),
            statuses,
            stats,
            sampled ? to.serviceMillis() - from.serviceMillis() : 0,
            sampled ? to.pg().totalSince(from.pg()) : 0,
            sampled ? to.pg().databaseSince(from.pg(), t.database()) : 0,
            tables,
            phaseUsers,
            window);
    log(
        "phase %s on %s: gatling exit %d, %d %s in the %.1f-s window = %.0f/s (as counted: %d in %.1f s = %.0f/s%s),"
            + " holds %s, service CPU %d ms, PostgreSQL CPU %d ms (%d ms in its database)",
        s.id(),
        t.name(),
        gatling,
        phase.ops(),
        s.unit(),
        phase.seconds(),
        phase.perSecond(),
        window.allOps(),
        window.ranSeconds(),
        window.asCountedPerSecond(),
        window.overran() ? ", OVERRAN" : "",
        statuses,
        phase.serviceCpuMs(),
        phase.pgCpuMs(),
        phase.pgDbCpuMs());
    return phase;
  }

  private static int gatling(
      Class<?> simulation, Path results, String description, boolean noReports) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--simulation",
                simulation.getName(),
                "--results-folder",
                results.toString(),
                "--run-description",
                description,
                "--launcher",
                "hearth-bench"));
    if (noReports) args.add("--no-reports");
    return io.gatling.app.Gatling$.MODULE$.fromArgs(args.toArray(String[]::new));
  }

  /**
   * Warms up each target (and Gatling itself) with {@code --warmup} seconds of scenario (a) on a
   * kitchen of its own, not measured, so that no target pays for the JIT in its measured phases.
   */
  private void warmUp() throws Exception {
    int seconds = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    if (seconds <= 0) return;
    for (Target t : targets) {
      Path kitchenFile =
          Client.write(
              out.resolve("kitchens").resolve(t.name() + "-warmup.txt"),
              new Client(t.url(), key).createKitchens(1, 1, Duration.ofSeconds(30)));
      System.setProperty("bench.target", t.url());
      System.setProperty("bench.kitchens", kitchenFile.toString());
      System.setProperty("bench.users", Integer.toString(users));
      System.setProperty("bench.duration", Integer.toString(seconds));
      Outcomes.reset();
      gatling(
          OneKitchenDistinctSlots.class,
          out.resolve("gatling").resolve("warmup-" + t.name()),
          "warm-up " + t.name(),
          true);
      acknowledged.get(t.name()).addAll(Outcomes.acceptedIds());
      log("warm-up on %s: %d s, holds %s", t.name(), seconds, Outcomes.holdStatuses());
    }
  }

  /**
   * Lets the database flush its statistics (a backend reports them when idle, at most once a
   * second).
   */
  private static void settle() throws InterruptedException {
    Thread.sleep(1500);
  }

  /** Waits (at most two minutes) until the node's read models hold every journal event. */
  private void awaitReadModels(Target t) throws Exception {
    Client client = new Client(t.url(), key);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode health =
          Client.JSON.readTree(client.get("/health/projections", client.operator).body());
      long pending = health.at("/freshness/pending_events").asLong(-1);
      if (pending == 0) return;
      Thread.sleep(100); // polling the node's own report
    }
    log("the read models of %s did not catch up within two minutes", t.name());
  }

  static void log(String format, Object... args) {
    System.out.printf(
        "[bench %s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
  }
}
