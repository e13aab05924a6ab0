package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hearth.engine.Rejection;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/openapi.yaml against the running routes: every documented path and method is served (no 404
 * or 405 from routing), and every other method on a documented path is refused with 405.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {

  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

  /** The detail of the router's own 404, when no route matches the path. */
  private static final String ROUTING_MISS = "The requested resource could not be found.";

  private TestDatabase db;
  private TestNode node;
  private JsonNode spec;
  private String everyone;
  private String kitchenId;
  private String bookingId;

  @BeforeAll
  void start() throws Exception {
    spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    everyone = node.token("tester", "renter", "host", "admin", "operator");
    kitchenId =
        node.post(
                "/v1/kitchens",
                everyone,
                "{\"name\":\"Spec\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":100}")
            .body()
            .get("kitchen_id")
            .asText();
    node.post("/v1/kitchens/" + kitchenId + "/publish", everyone, null);
    Instant start =
        TestDates.at(
            TestDates.today(node.clock(), ZoneOffset.UTC).plusDays(3), 10, 0, ZoneOffset.UTC);
    bookingId =
        node.post(
                "/v1/kitchens/" + kitchenId + "/bookings",
                everyone,
                "{\"start\":\"" + start + "\",\"end\":\"" + start.plusSeconds(3600) + "\"}")
            .body()
            .get("booking_id")
            .asText();
    node.post("/v1/bookings/" + bookingId + "/payment", everyone, null);
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
    db.close();
  }

  @Test
  void everyDocumentedRouteIsServedAndNoOtherMethodIs() {
    assertThat(spec.path("openapi").asText()).startsWith("3.");
    assertThat(node.get("/v1/no-such-route", everyone).body().path("detail").asText())
        .isEqualTo(ROUTING_MISS);
    List<String> checked = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      String concrete =
          path.getKey()
              .replace("{id}", path.getKey().startsWith("/v1/bookings") ? bookingId : kitchenId)
              .replace("{document_id}", "doc_" + kitchenId.replace("-", "") + "0123456789abcdef");
      if (concrete.endsWith("/availability"))
        concrete += "?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z";
      for (String method : METHODS) {
        boolean documented = path.getValue().has(method);
        String body = Set.of("post", "put", "patch").contains(method) ? "{}" : null;
        Reply r = node.send(method.toUpperCase(), concrete, everyone, body);
        if (documented) {
          // A route's own 404 ("no such booking", "Stripe is not configured here") is an answer;
          // the
          // router's 404 (its default detail) means the documented route is not served.
          assertThat(r.status())
              .as("%s %s is documented: %s", method, path.getKey(), r.body())
              .isNotEqualTo(405);
          assertThat(r.status() == 404 && r.body().path("detail").asText().equals(ROUTING_MISS))
              .as("%s %s is documented but not routed: %s", method, path.getKey(), r.body())
              .isFalse();
          checked.add(method + " " + path.getKey());
        } else {
          assertThat(r.status())
              .as("%s %s is not documented", method, path.getKey())
              .isEqualTo(405);
        }
      }
    }
    assertThat(checked)
        .contains(
            "post /v1/kitchens",
            "get /v1/kitchens/{id}",
            "patch /v1/kitchens/{id}",
            "post /v1/kitchens/{id}/publish",
            "post /v1/kitchens/{id}/pause",
            "get /v1/kitchens/{id}/availability",
            "post /v1/kitchens/{id}/bookings",
            "get /v1/bookings/{id}",
            "post /v1/bookings/{id}/cancel",
            "post /v1/bookings/{id}/confirm",
            "get /health",
            "get /health/live",
            "get /health/ready",
            "get /v1/me/bookings",
            "get /v1/kitchens",
            "get /v1/kitchens/{id}/bookings",
            "post /v1/admin/read-models/rebuild",
            "get /health/projections",
            "post /v1/bookings/{id}/payment",
            "get /v1/bookings/{id}/payment",
            "post /v1/bookings/{id}/refunds",
            "post /v1/webhooks/stripe",
            "get /v1/admin/payouts",
            "get /v1/admin/reconciliation",
            "get /v1/hosts/me",
            "put /v1/hosts/me",
            "get /v1/kitchens/{id}/documents",
            "post /v1/kitchens/{id}/documents",
            "delete /v1/kitchens/{id}/documents/{document_id}",
            "get /v1/kitchens/{id}/compliance",
            "get /v1/admin/compliance/reviews",
            "post /v1/admin/compliance/documents/{document_id}/approve",
            "post /v1/admin/compliance/documents/{document_id}/reject");
  }

  /**
   * The problem codes the API's code can answer, by code, with the statuses it answers them with:
   * every type of {@link Problems} (the one mapping the routes answer through), any {@code
   * Problem.of(status, "CODE"} written out in the routes' sources, and every code of the mapping of
   * Pekko's own rejections ({@code case status -> "CODE"}, and its default). The management
   * endpoint is left out: it listens on its own port and is not part of this API.
   */
  static Map<String, Set<Integer>> codesInTheSources() throws Exception {
    Map<String, Set<Integer>> codes = new TreeMap<>();
    for (Problems.Type type : Problems.Type.values())
      codes.computeIfAbsent(type.name(), c -> new TreeSet<>()).add(type.status);
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/com/hearth/http"))) {
      sources =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.getFileName().toString().equals("ManagementEndpoint.java"))
              .toList();
    }
    Pattern problem = Pattern.compile("Problem\\.of\\(\\s*(\\d{3})\\s*,\\s*\"([A-Z_]+)\"");
    Pattern mapped = Pattern.compile("case (\\d{3}) -> \"([A-Z_]+)\"");
    Pattern fallback =
        Pattern.compile("default -> status >= 500 \\? \"([A-Z_]+)\" : \"([A-Z_]+)\"");
    for (Path source : sources) {
      String text = Files.readString(source);
      for (Pattern p : List.of(problem, mapped)) {
        Matcher m = p.matcher(text);
        while (m.find())
          codes.computeIfAbsent(m.group(2), c -> new TreeSet<>()).add(Integer.parseInt(m.group(1)));
      }
      Matcher m = fallback.matcher(text);
      while (m.find()) {
        codes.computeIfAbsent(m.group(1), c -> new TreeSet<>()).add(500);
        codes.computeIfAbsent(m.group(2), c -> new TreeSet<>()).add(400);
      }
    }
    return codes;
  }

  @Test
  void theScanOfTheSourcesFindsEveryCodeADomainRejectionMapsTo() throws Exception {
    Map<String, Set<Integer>> scanned = codesInTheSources();
    for (Rejection.Code code : Rejection.Code.values()) {
      Problem p =
          Problems.of(
              code == Rejection.Code.RULE_VIOLATION
                  ? Rejection.rule(com.hearth.engine.RuleViolation.values()[0], "detail")
                  : Rejection.of(code, "detail"));
      assertThat(scanned).as(code.name()).containsKey(p.code());
      assertThat(scanned.get(p.code())).as(code.name()).contains(p.status());
    }
  }

  @Test
  void theDocumentDeclaresExactlyTheCodesTheApiUses() throws Exception {
    Set<String> declared = new TreeSet<>();
    spec.at("/components/schemas/Problem/properties/code/enum")
        .forEach(c -> declared.add(c.asText()));
    assertThat(declared).isEqualTo(codesInTheSources().keySet());
  }

  @Test
  void everyCodeHasADocumentedResponseThatNamesItExactlyWithItsStatus() throws Exception {
    Map<String, Set<Integer>> documented = new TreeMap<>();
    Pattern named = Pattern.compile("`([A-Z][A-Z_]+)`");
    for (Iterator<Map.Entry<String, JsonNode>> responses =
            spec.at("/components/responses").fields();
        responses.hasNext(); ) {
      JsonNode response = responses.next().getValue();
      Set<String> codes = new TreeSet<>();
      Matcher m = named.matcher(response.path("description").asText());
      // Only the codes the description opens with or lists after "One of:", not rule names.
      while (m.find()) codes.add(m.group(1));
      JsonNode example = response.at("/content/application~1problem+json/example");
      if (example.has("code")) codes.add(example.get("code").asText());
      int status = example.path("status").asInt(0);
      for (String code : codes) documented.computeIfAbsent(code, c -> new TreeSet<>()).add(status);
    }
    codesInTheSources()
        .forEach(
            (code, statuses) -> {
              assertThat(documented).as("a response documents %s", code).containsKey(code);
            });
    // Where a response's example carries the code, its status is the one the code answers with.
    codesInTheSources()
        .forEach(
            (code, statuses) -> {
              for (Iterator<JsonNode> responses = spec.at("/components/responses").elements();
                  responses.hasNext(); ) {
                JsonNode example =
                    responses.next().at("/content/application~1problem+json/example");
                if (example.path("code").asText().equals(code))
                  assertThat(statuses)
                      .as("the status of %s's example", code)
                      .contains(example.get("status").asInt());
              }
            });
  }
}
