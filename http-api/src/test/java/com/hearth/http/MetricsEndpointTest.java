package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hearth.testing.TestClock;
import com.hearth.testing.TestDates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node (H2, in this JVM, no agent) with its metrics endpoint on a random port: traffic over every
 * kind of route, then {@code /metrics} must carry every series the Grafana dashboard and the
 * Prometheus alert rules in k8s/ query, with bounded labels only (no ids).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Instant START = Instant.parse("2027-01-06T15:00:00Z");
  static final LocalDate TODAY = LocalDate.of(2027, 1, 6);
  static final Path K8S = Path.of("..", "k8s");

  TestDatabase db;
  TestNode node;

  @BeforeAll
  void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node =
        TestNode.start(
            db,
            Map.of("hearth.metrics.tick-interval", "500ms", "hearth.kitchen.snapshot-every", 2),
            TestClock.runningFrom(START));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void everyMetricTheDashboardAndAlertsQueryIsServed() throws Exception {
    driveTraffic();
    Set<String> wanted = referencedMetrics();
    String[] last = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              last[0] = scrape();
              Files.writeString(Path.of("target", "metrics-sample.txt"), last[0]);
              assertThat(servedNames(last[0])).containsAll(wanted);
            });
    assertThat(wanted).as("metrics named by the dashboard and the alerts").hasSizeGreaterThan(15);
    // Bounded labels: no kitchen, booking or user id reaches a label value.
    assertThat(last[0])
        .doesNotContainPattern("\"k-[0-9a-f]{6,}")
        .doesNotContain("renter-1")
        .doesNotContain("host-1");
    assertThat(last[0])
        .contains("route=\"/v1/kitchens/{id}/bookings\"")
        .contains("method=\"POST\"")
        .contains("outcome=\"accepted\"")
        .contains("rule=\"slot_unavailable\"");
  }

  @Test
  void theEndpointIsOnItsOwnLoopbackPort() {
    assertThat(node.metricsPort()).isPositive().isNotEqualTo(node.port());
    assertThat(node.get("/metrics", null).status()).isEqualTo(404);
  }

  @Test
  void routeLabelsAreTheContractsPathTemplates() throws IOException {
    JsonNode paths =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("..", "docs", "openapi.yaml").toFile())
            .get("paths");
    Set<String> contract = new TreeSet<>();
    paths.fieldNames().forEachRemaining(contract::add);
    assertThat(new TreeSet<>(com.hearth.http.observability.RouteTemplates.ALL)).isEqualTo(contract);
    assertThat(
            com.hearth.http.observability.RouteTemplates.of(
                "/v1/bookings/k-1-b-2/payment/simulate"))
        .isEqualTo("/v1/bookings/{id}/payment/simulate");
    assertThat(com.hearth.http.observability.RouteTemplates.of("/v1/kitchens/abc/bookings"))
        .isEqualTo("/v1/kitchens/{id}/bookings");
    assertThat(com.hearth.http.observability.RouteTemplates.of("/wp-admin/x.php"))
        .isEqualTo("unmatched");
    assertThat(com.hearth.http.observability.RouteTemplates.of("/")).isEqualTo("/");
    assertThat(com.hearth.http.observability.RouteTemplates.of("/console/app.js"))
        .isEqualTo("/console/{file}");
    assertThat(com.hearth.http.observability.RouteTemplates.of("/console/a/b.js"))
        .isEqualTo("unmatched");
  }

  private void driveTraffic() {
    String host = node.token("host-1", "host");
    String renter = node.token("renter-1", "renter");
    String admin = node.token("admin-1", "admin");
    String kitchen =
        node.publishedKitchen(
            host,
            "{\"name\":\"Metrics kitchen\",\"time_zone\":\"America/New_York\","
                + "\"hourly_rate_cents\":2500}");
    Instant from = TestDates.at(TODAY.plusDays(3), 10, 0, NEW_YORK);
    String slot = "{\"start\":\"" + from + "\",\"end\":\"" + from.plusSeconds(3600) + "\"}";
    TestNode.Reply held = node.post("/v1/kitchens/" + kitchen + "/bookings", renter, slot);
    assertThat(held.status()).isEqualTo(201);
    for (int hour = 12; hour < 16; hour++) { // enough events for a snapshot (every 2 here)
      Instant at = TestDates.at(TODAY.plusDays(4), hour, 0, NEW_YORK);
      assertThat(
              node.post(
                      "/v1/kitchens/" + kitchen + "/bookings",
                      renter,
                      "{\"start\":\"" + at + "\",\"end\":\"" + at.plusSeconds(3600) + "\"}")
                  .status())
          .isEqualTo(201);
    }
    assertThat(node.post("/v1/kitchens/" + kitchen + "/bookings", renter, slot).status())
        .isEqualTo(409);
    String booking = held.body().get("booking_id").asText();
    assertThat(node.get("/v1/bookings/" + booking, renter).status()).isEqualTo(200);
    assertThat(node.post("/v1/bookings/" + booking + "/payment", renter, null).status())
        .isBetween(200, 201);
    node.post(
        "/v1/bookings/" + booking + "/payment/simulate", renter, "{\"outcome\":\"succeeded\"}");
    assertThat(node.get("/v1/me/bookings", renter).status()).isEqualTo(200);
    assertThat(node.get("/v1/admin/cluster", admin).status()).isEqualTo(200);
    assertThat(node.get("/health/ready", null).status()).isEqualTo(200);
    assertThat(node.get("/no/such/route", null).status()).isEqualTo(404);
    node.post("/v1/webhooks/stripe", null, "{}");
  }

  private String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /**
   * Names of the series served: {@code foo_bucket}, {@code foo_count} and {@code foo_sum} also
   * count as {@code foo}.
   */
  static Set<String> servedNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String name = line.split("[{ ]", 2)[0];
      names.add(name);
      names.add(name.replaceAll("_(bucket|count|sum)$", ""));
    }
    return names;
  }

  static final Pattern METRIC = Pattern.compile("\\b((?:hearth|jvm|process)_[a-z0-9_]+)");

  /** Every metric name in the dashboard's queries and the alert rules' expressions. */
  static Set<String> referencedMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    ObjectMapper json = new ObjectMapper();
    JsonNode dashboard =
        json.readTree(K8S.resolve("base/monitoring/hearth-dashboard.json").toFile());
    for (JsonNode expr : dashboard.findValues("expr")) collect(expr.asText(), names);
    JsonNode rules =
        new ObjectMapper(new YAMLFactory())
            .readTree(K8S.resolve("base/monitoring/prometheus-rules.yaml").toFile());
    for (JsonNode expr : rules.findValues("expr")) collect(expr.asText(), names);
    return names;
  }

  private static void collect(String expr, Set<String> names) {
    Matcher m = METRIC.matcher(expr);
    while (m.find()) names.add(m.group(1).replaceAll("_(bucket|count|sum)$", ""));
  }
}
