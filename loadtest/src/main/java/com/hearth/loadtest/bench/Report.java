package com.hearth.loadtest.bench;

import com.hearth.loadtest.bench.Bench.Phase;
import com.hearth.loadtest.bench.Bench.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The markdown report of one benchmark run: ratios first, then latency, CPU per operation, checks
 * and details.
 */
final class Report {

  private final Path out;
  private final int duration;
  private final int users;
  private final List<Bench.Scenario> scenarios;

  Report(Path out, int duration, int users, List<Bench.Scenario> scenarios) {
    this.scenarios = scenarios;
    this.out = out;
    this.duration = duration;
    this.users = users;
  }

  static String label(String target) {
    return switch (target) {
      case "hearth" -> "Hearth";
      case "exclude" -> "EXCLUDE";
      case "forupdate" -> "FOR UPDATE";
      default -> target;
    };
  }

  Path write(
      List<Target> targets,
      List<Phase> phases,
      Phase open,
      LagProbe.Result lag,
      Map<String, Integrity.Result> integrity,
      Map<String, Double> setupSeconds)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark report\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Run finished %s. Closed model: %d users per phase (the mixed journey: its own count),"
                + " %d s per phase, keep-alive connections on 127.0.0.1; Gatling, the services and PostgreSQL share this machine"
                + " (%d cores).%n%n",
            Instant.now(),
            users,
            duration,
            Runtime.getRuntime().availableProcessors()));

    if (!setupSeconds.isEmpty()) {
      md.append("Setup (not measured): the kitchen pool created in");
      setupSeconds.forEach(
          (name, seconds) ->
              md.append(String.format(Locale.ROOT, " %.1f s on %s,", seconds, label(name))));
      md.setLength(md.length() - 1);
      md.append(
          " (Hearth's through its API, the baselines' in one INSERT of their kitchens table).\n\n");
    }
    if (integrity.isEmpty())
      md.append(
          "**Partial report**: written after the last phase measured; the checks after the run"
              + " have not run (yet).\n\n");

    md.append("## Throughput and ratios\n\n| scenario | operation | ");
    for (Target t : targets) md.append(label(t.name())).append(" /s | ");
    md.append("Hearth / EXCLUDE | Hearth / FOR UPDATE |\n|---|---|");
    md.append("---:|".repeat(targets.size() + 2)).append('\n');
    for (Bench.Scenario s : scenarios) {
      List<Phase> row = phases.stream().filter(p -> p.scenario().id().equals(s.id())).toList();
      if (row.isEmpty()) continue;
      md.append("| ")
          .append(s.id())
          .append(": ")
          .append(s.title())
          .append(" | ")
          .append(s.unit())
          .append(" | ");
      for (Target t : targets)
        md.append(find(row, t).map(p -> fmt(p.perSecond())).orElse("-")).append(" | ");
      md.append(ratio(row, "exclude")).append(" | ").append(ratio(row, "forupdate")).append(" |\n");
    }

    md.append(
        String.format(
            Locale.ROOT,
            "%nEach rate is counted over the phase's steady window: the %d s from its first user's start,"
                + " answers whose request was sent inside it, divided by its length (the same window as the"
                + " CPU figures below). Per phase, below: the window, the old figure (every answer from the"
                + " first user's start to the last answer) and how long the phase actually ran.%n",
            duration));

    md.append(
        "\n## Steady window of each phase\n\n| phase | target | window s | in window | /s in window |"
            + " as counted (all answers / ran) | ran s | last user started at | overran (> 125 %) |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Phase p : phases) appendWindow(md, p);
    if (open != null) appendWindow(md, open);

    md.append("\n## Latency of the scenario's main request (ms, p50 / p95 / p99)\n\n| scenario | ");
    for (Target t : targets) md.append(label(t.name())).append(" | ");
    md.append("\n|---|").append("---:|".repeat(targets.size())).append('\n');
    for (Bench.Scenario s : scenarios) {
      List<Phase> row = phases.stream().filter(p -> p.scenario().id().equals(s.id())).toList();
      if (row.isEmpty()) continue;
      md.append("| ").append(s.id()).append(" (").append(s.request()).append(") | ");
      for (Target t : targets)
        md.append(find(row, t).map(Report::latency).orElse("-")).append(" | ");
      md.append('\n');
    }

    md.append("\n## CPU per operation (ms of CPU time, from /proc)\n\n");
    md.append(
        "Over each phase's steady window: the CPU samples are taken at its two ends, and divided by the"
            + " operations counted in it. Service = the Hearth node's JVM or the baseline service's JVM. PostgreSQL = every process owned by"
            + " `postgres` (includes other users of a shared server); in brackets, only the backends serving the target's"
            + " own database.\n\n| scenario | ");
    for (Target t : targets)
      md.append(label(t.name()))
          .append(" service | ")
          .append(label(t.name()))
          .append(" PostgreSQL | ");
    md.append("\n|---|").append("---:|".repeat(targets.size() * 2)).append('\n');
    for (Bench.Scenario s : scenarios) {
      List<Phase> row = phases.stream().filter(p -> p.scenario().id().equals(s.id())).toList();
      if (row.isEmpty()) continue;
      md.append("| ")
          .append(s.id())
          .append(" (per ")
          .append(s.unit().replaceAll(" \\(.*", "").replaceAll("s$", ""))
          .append(") | ");
      for (Target t : targets) {
        Optional<Phase> p = find(row, t);
        md.append(p.map(x -> perOp(x.serviceCpuMs(), x.ops())).orElse("-")).append(" | ");
        md.append(
                p.map(x -> perOp(x.pgCpuMs(), x.ops()) + " (" + perOp(x.pgDbCpuMs(), x.ops()) + ")")
                    .orElse("-"))
            .append(" | ");
      }
      md.append('\n');
    }

    if (open != null) {
      md.append("\n## Hearth at 70 % of its peak (open model)\n\n");
      md.append(
          String.format(
              Locale.ROOT,
              "Arrivals at %s holds/s (70 %% of scenario a's %s accepted/s) for %d s:"
                  + " %s accepted/s achieved, hold latency p50 / p95 / p99 = %s ms; answers %s; Gatling report: %s.%n",
              System.getProperty("bench.rate"),
              fmt(
                  phases.stream()
                      .filter(
                          p -> p.scenario().id().equals("a") && p.target().name().equals("hearth"))
                      .findFirst()
                      .map(Phase::perSecond)
                      .orElse(0.0)),
              duration,
              fmt(open.perSecond()),
              latency(open),
              open.statuses(),
              link(open)));
    }
    if (lag != null) {
      md.append("\n## Read-model lag under load\n\n");
      md.append(
          String.format(
              Locale.ROOT,
              "Measured during Hearth's scenario c1k (peak load over 1,000 kitchens): time from a"
                  + " hold's 201 to the booking being listed by `GET /v1/kitchens/{id}/bookings`, polled every "
                  + LagProbe.POLL_MILLIS
                  + " ms, 4 probes."
                  + " Samples %d, p50 %d ms, p99 %d ms, max %d ms, never listed within 10 s: %d.%n",
              lag.sortedLags().size(),
              lag.percentile(50),
              lag.percentile(99),
              lag.sortedLags().isEmpty() ? -1 : lag.sortedLags().get(lag.sortedLags().size() - 1),
              lag.missing()));
    }

    md.append(
        "\n## Checks after the run\n\n| target | live bookings | overlapping live pairs | 201s sent | 201s not in the bookings table |\n|---|---:|---:|---:|---:|\n");
    integrity.forEach(
        (name, r) ->
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d |%n",
                    label(name),
                    r.live(),
                    r.overlappingPairs(),
                    r.acknowledged(),
                    r.missing())));
    md.append(
        "\nHearth's bookings table is its read model, checked after the read models report no pending event.\n");

    md.append(
        "\n## Answers and Gatling reports\n\n| phase | target | holds by status | timed requests | max ms | report |\n|---|---|---|---:|---:|---|\n");
    for (Phase p : phases) appendAnswers(md, p);
    if (open != null) appendAnswers(md, open);

    md.append(
        "\n## pg_stat_user_tables during each phase\n\nDifferences of `seq_scan, seq_tup_read, idx_scan,"
            + " idx_tup_fetch, n_tup_ins, n_tup_upd, n_tup_del` over the phase (tables that changed).\n");
    for (Phase p : phases) appendTables(md, p);
    if (open != null) appendTables(md, open);

    Path file = out.resolve("report.md");
    Files.writeString(file, md.toString());
    return file;
  }

  private static void appendWindow(StringBuilder md, Phase p) {
    SteadyWindow w = p.window();
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %.2f | %d | %s | %s (%d in %.1f s) | %.1f | +%.1f s | %s |%n",
            p.scenario().id(),
            label(p.target().name()),
            w.windowSeconds(),
            w.windowOps(),
            fmt(w.perSecond()),
            fmt(w.asCountedPerSecond()),
            w.allOps(),
            w.ranSeconds(),
            w.ranSeconds(),
            w.lastUserStartSeconds(),
            w.overran()
                ? String.format(
                    Locale.ROOT, "**yes, %.0f %%**", 100 * w.ranSeconds() / w.nominalSeconds())
                : "no"));
  }

  private void appendAnswers(StringBuilder md, Phase p) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %s |%n",
            p.scenario().id(),
            label(p.target().name()),
            p.statuses(),
            p.stats().requests(),
            String.format(Locale.ROOT, "%.0f", p.stats().max()),
            link(p)));
  }

  private static void appendTables(StringBuilder md, Phase p) {
    md.append("\n**")
        .append(p.scenario().id())
        .append(" on ")
        .append(label(p.target().name()))
        .append("**: ");
    if (p.tables().isEmpty()) {
      md.append("no change\n");
      return;
    }
    StringBuilder parts = new StringBuilder();
    p.tables()
        .forEach(
            (table, d) -> {
              if (parts.length() > 0) parts.append("; ");
              parts.append('`').append(table).append("` ");
              for (int i = 0; i < d.length; i++) {
                if (d[i] == 0) continue;
                parts.append(PgStats.COLUMNS[i]).append('=').append(d[i]).append(' ');
              }
            });
    md.append(parts.toString().replace(" ;", ";").trim()).append('\n');
  }

  private String link(Phase p) {
    if (p.stats().report() == null) return "-";
    return "["
        + p.stats().report().getFileName()
        + "]("
        + out.relativize(p.stats().report().resolve("index.html"))
        + ")";
  }

  private static Optional<Phase> find(List<Phase> row, Target t) {
    return row.stream().filter(p -> p.target().name().equals(t.name())).findFirst();
  }

  private static String ratio(List<Phase> row, String baseline) {
    Optional<Phase> h = row.stream().filter(p -> p.target().name().equals("hearth")).findFirst();
    Optional<Phase> b = row.stream().filter(p -> p.target().name().equals(baseline)).findFirst();
    if (h.isEmpty() || b.isEmpty() || b.get().perSecond() == 0) return "-";
    return String.format(Locale.ROOT, "%.2fx", h.get().perSecond() / b.get().perSecond());
  }

  private static String latency(Phase p) {
    if (p.stats().requests() == 0) return "-";
    return String.format(
        Locale.ROOT, "%.0f / %.0f / %.0f", p.stats().p50(), p.stats().p95(), p.stats().p99());
  }

  static String perOp(long ms, long ops) {
    if (ops == 0) return "-";
    double v = (double) ms / ops;
    return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
  }

  static String fmt(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }
}
