package com.hearth.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a Gatling HTML report says about a run, read from its {@code js/stats.json}: requests,
 * failures and response-time percentiles (Gatling's defaults: 50th, 75th, 95th, 99th) of all
 * requests, or of one named request.
 */
public record GatlingStats(Path report, long requests, long ko, double p50, double p95, double p99, double max) {

  /** The newest report folder under a results folder. */
  static Optional<Path> newestReport(Path resultsFolder) throws IOException {
    if (!Files.isDirectory(resultsFolder)) return Optional.empty();
    try (Stream<Path> dirs = Files.list(resultsFolder)) {
      return dirs.filter(d -> Files.exists(d.resolve("index.html")))
          .max(Comparator.comparing(d -> d.toFile().lastModified()));
    }
  }

  /** Stats of the request named {@code name} when the report has it, else of all requests. */
  static GatlingStats read(Path report, String name) throws IOException {
    JsonNode root = Client.JSON.readTree(report.resolve("js").resolve("stats.json").toFile());
    JsonNode stats = root.get("stats");
    if (name != null) {
      for (JsonNode request : root.path("contents")) {
        if (name.equals(request.path("name").asText())) stats = request.get("stats");
      }
    }
    return new GatlingStats(report, stats.at("/numberOfRequests/total").asLong(), stats.at("/numberOfRequests/ko").asLong(),
        number(stats, "percentiles1"), number(stats, "percentiles3"), number(stats, "percentiles4"),
        number(stats, "maxResponseTime"));
  }

  private static double number(JsonNode stats, String field) {
    JsonNode v = stats.path(field).path("total");
    return v.isNumber() ? v.asDouble() : v.isTextual() ? parse(v.asText()) : Double.NaN;
  }

  private static double parse(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
