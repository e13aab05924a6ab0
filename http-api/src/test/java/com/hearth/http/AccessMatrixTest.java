package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of docs/openapi.yaml, asked by every kind of caller (none, the owning renter,
 * another renter, the owning host, another host, an admin, an operator, a token with the owning
 * host's id but the renter role), on a kitchen and a booking that exist: without a token every /v1
 * route is 401; with one, the status is one the document lists for that operation, and never a 5xx.
 * GETs only, so that the matrix does not depend on the order of its cells.
 */
class AccessMatrixTest {

  private static TestDatabase db;
  private static TestNode node;
  private static final Map<String, String> callers = new LinkedHashMap<>();
  private static String kitchen;
  private static String booking;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    callers.put("owning renter", node.token("m-renter", "renter"));
    callers.put("other renter", node.token("m-renter-2", "renter"));
    callers.put("owning host", node.token("m-host", "host"));
    callers.put("other host", node.token("m-host-2", "host"));
    callers.put("admin", node.token("m-admin", "admin"));
    callers.put("operator", node.token("m-op", "operator"));
    callers.put("host id, renter role", node.token("m-host", "renter"));
    kitchen =
        node.publishedKitchen(
            callers.get("owning host"),
            "{\"name\":\"M\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500,"
                + "\"opening_hours\":{"
                + String.join(
                    ",",
                    Stream.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                        .map(d -> "\"" + d + "\":[{\"open\":\"06:00\",\"close\":\"23:00\"}]")
                        .toList())
                + "}}");
    Instant start =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(3)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC)
            .plus(Duration.ofHours(10));
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchen + "/bookings",
            callers.get("owning renter"),
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}");
    assertThat(held.status()).isEqualTo(201);
    booking = held.body().get("booking_id").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void everyCallerGetsADocumentedStatusOnEveryReadAndNoTokenGets401() throws Exception {
    JsonNode spec =
        new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
    List<String> cells = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      JsonNode get = path.getValue().get("get");
      if (get == null) continue;
      String url =
          path.getKey()
                  .replace("{id}", path.getKey().startsWith("/v1/bookings") ? booking : kitchen)
              + (path.getKey().endsWith("/availability")
                  ? "?from="
                      + Instant.now()
                          .plus(Duration.ofDays(1))
                          .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                      + "&to="
                      + Instant.now()
                          .plus(Duration.ofDays(2))
                          .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                  : "")
              + (path.getKey().equals("/v1/admin/payouts") ? "?week=2020-W01" : "");
      List<String> documented = new ArrayList<>();
      get.get("responses").fieldNames().forEachRemaining(documented::add);
      if (url.startsWith("/v1")) {
        Reply none = node.get(url, null);
        assertThat(none.status()).as("GET %s without a token", url).isEqualTo(401);
      }
      for (Map.Entry<String, String> caller : callers.entrySet()) {
        Reply reply = node.get(url, caller.getValue());
        cells.add("GET " + path.getKey() + " as " + caller.getKey() + ": " + reply.status());
        assertThat(reply.status())
            .as("GET %s as %s: %s", url, caller.getKey(), reply.body())
            .isLessThan(500);
        assertThat(documented)
            .as(
                "GET %s as %s answered %d, documented %s",
                path.getKey(), caller.getKey(), reply.status(), documented)
            .contains(String.valueOf(reply.status()));
      }
    }
    assertThat(cells).as("the document's GET operations times the callers").hasSizeGreaterThan(50);
    // The cells the issue names, spelled out: strangers see 404, the owner and admins 200.
    assertThat(cells)
        .contains(
            "GET /v1/bookings/{id} as owning renter: 200",
                "GET /v1/bookings/{id} as other renter: 404",
            "GET /v1/bookings/{id} as owning host: 200", "GET /v1/bookings/{id} as other host: 404",
            "GET /v1/bookings/{id} as host id, renter role: 404",
                "GET /v1/bookings/{id} as admin: 200",
            "GET /v1/kitchens/{id}/bookings as owning host: 200",
                "GET /v1/kitchens/{id}/bookings as other host: 403",
            "GET /v1/kitchens/{id}/bookings as host id, renter role: 403",
                "GET /v1/admin/cluster as renter: 403".replace("renter", "owning renter"));
    // The compliance lapse listings and the host's notices.
    assertThat(cells)
        .contains(
            "GET /v1/kitchens/{id}/lapse-bookings as owning host: 200",
            "GET /v1/kitchens/{id}/lapse-bookings as other host: 403",
            "GET /v1/kitchens/{id}/lapse-bookings as owning renter: 403",
            "GET /v1/kitchens/{id}/lapse-bookings as host id, renter role: 403",
            "GET /v1/kitchens/{id}/lapse-bookings as admin: 200",
            "GET /v1/kitchens/{id}/lapse-bookings as operator: 200",
            "GET /v1/admin/compliance/lapses as admin: 200",
            "GET /v1/admin/compliance/lapses as operator: 200",
            "GET /v1/admin/compliance/lapses as owning host: 403",
            "GET /v1/admin/compliance/lapses as owning renter: 403",
            "GET /v1/hosts/me/compliance-notices as owning host: 200",
            "GET /v1/hosts/me/compliance-notices as other host: 200",
            "GET /v1/hosts/me/compliance-notices as admin: 403",
            "GET /v1/hosts/me/compliance-notices as host id, renter role: 403");
  }
}
