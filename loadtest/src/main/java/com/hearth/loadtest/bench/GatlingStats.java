package com.hearth.loadtest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Response times of a phase's main request (the hold, or the availability read), timed around the
 * request inside the simulation, and the phase's Gatling HTML report (which has the same requests,
 * plotted over time).
 */
public record GatlingStats(
    Path report, long requests, double p50, double p95, double p99, double max) {

  /** The newest report folder under a results folder. */
  static Optional<Path> newestReport(Path resultsFolder) throws IOException {
    if (!Files.isDirectory(resultsFolder)) return Optional.empty();
    try (Stream<Path> dirs = Files.list(resultsFolder)) {
      return dirs.filter(d -> Files.exists(d.resolve("index.html")))
          .max(Comparator.comparing(d -> d.toFile().lastModified()));
    }
  }

  /** Percentiles in milliseconds of response times given in microseconds, sorted. */
  static GatlingStats of(Path report, long[] sortedMicros) {
    return new GatlingStats(
        report,
        sortedMicros.length,
        pct(sortedMicros, 50),
        pct(sortedMicros, 95),
        pct(sortedMicros, 99),
        sortedMicros.length == 0 ? Double.NaN : sortedMicros[sortedMicros.length - 1] / 1000.0);
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    return sorted[
            Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1))]
        / 1000.0;
  }
}
