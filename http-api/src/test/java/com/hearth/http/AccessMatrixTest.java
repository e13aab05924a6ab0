package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestDates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The role x owner x route matrix, generated from docs/openapi.yaml: every operation (every path
 * and method, writes included) asked by every kind of caller, with the status each must get spelled
 * out in {@link #EXPECTED}. An operation of the document without a line there (or a line for an
 * operation the document no longer has) fails the test, so a new route cannot go unchecked.
 *
 * <p>Callers, in the order of the expectation strings: no token, the owning renter (whose booking
 * it is), another renter, the owning host (whose kitchen it is), another host, an admin, an
 * operator, and a token with the owning host's id but only the renter role.
 *
 * <p>Every refused write (401, 403, 404) is tried on one set of objects per operation, which is
 * read back afterwards (kitchen, booking, payment, documents as an admin, and the journal's
 * kitchens): nothing may have changed. Every allowed write gets a fresh set of objects, so that the
 * cells do not depend on their order. One node, on H2.
 */
class AccessMatrixTest {

  private static final List<String> CALLERS =
      List.of(
          "none",
          "owning renter",
          "other renter",
          "owning host",
          "other host",
          "admin",
          "operator",
          "host id, renter role");

  /** What an operation needs to exist before it is asked. */
  enum Needs {
    NOTHING,
    KITCHEN,
    BOOKING,
    PAYMENT,
    PAID,
    DOCUMENT
  }

  record Expectation(Needs needs, String statuses) {}

  /**
   * "METHOD path" -> what it needs and the status of each caller, in the order of {@link #CALLERS}.
   * The owner cells are the point: strangers get 404 for what they may not know exists (a booking,
   * a payment), 403 for what is public but not theirs (a published kitchen's changes).
   */
  static final Map<String, Expectation> EXPECTED = new LinkedHashMap<>();

  static {
    //                                                            none rent oRen host oHst admn oper
    // hIdR
    e("GET /v1/kitchens", Needs.NOTHING, "401 200 200 200 200 200 200 200");
    e("POST /v1/kitchens", Needs.NOTHING, "401 403 403 201 201 201 403 403");
    e("GET /v1/kitchens/{id}", Needs.KITCHEN, "401 200 200 200 200 200 200 200");
    e("PATCH /v1/kitchens/{id}", Needs.KITCHEN, "401 403 403 200 403 200 403 403");
    e("POST /v1/kitchens/{id}/publish", Needs.KITCHEN, "401 403 403 200 403 200 403 403");
    e("POST /v1/kitchens/{id}/pause", Needs.KITCHEN, "401 403 403 200 403 200 403 403");
    e("GET /v1/kitchens/{id}/availability", Needs.KITCHEN, "401 200 200 200 200 200 200 200");
    e("GET /v1/kitchens/{id}/bookings", Needs.KITCHEN, "401 403 403 200 403 200 403 403");
    e("POST /v1/kitchens/{id}/bookings", Needs.KITCHEN, "401 201 201 403 403 403 403 201");
    e("GET /v1/bookings/{id}", Needs.BOOKING, "401 200 404 200 404 200 200 404");
    e("POST /v1/bookings/{id}/cancel", Needs.BOOKING, "401 200 404 200 404 200 403 404");
    e("POST /v1/bookings/{id}/confirm", Needs.PAID, "401 403 403 403 403 200 200 403");
    e("GET /v1/bookings/{id}/payment", Needs.PAYMENT, "401 200 404 200 404 200 200 404");
    e("POST /v1/bookings/{id}/payment", Needs.BOOKING, "401 200 404 403 403 403 403 404");
    e("POST /v1/bookings/{id}/payment/simulate", Needs.PAYMENT, "401 200 404 404 404 200 404 404");
    e("POST /v1/bookings/{id}/refunds", Needs.PAID, "401 403 403 202 404 202 403 403");
    e("GET /v1/me/bookings", Needs.NOTHING, "401 200 200 200 200 200 200 200");
    e("POST /v1/admin/read-models/rebuild", Needs.NOTHING, "401 403 403 403 403 202 202 403");
    e("GET /v1/admin/cluster", Needs.NOTHING, "401 403 403 403 403 200 200 403");
    e("POST /v1/admin/projections/pause", Needs.NOTHING, "401 403 403 403 403 200 200 403");
    e("POST /v1/admin/projections/resume", Needs.NOTHING, "401 403 403 403 403 200 200 403");
    e("GET /v1/hosts/me", Needs.NOTHING, "401 403 403 200 404 403 403 403");
    e("PUT /v1/hosts/me", Needs.NOTHING, "401 403 403 200 200 403 403 403");
    e("GET /v1/kitchens/{id}/documents", Needs.DOCUMENT, "401 403 403 200 403 200 403 403");
    e("POST /v1/kitchens/{id}/documents", Needs.KITCHEN, "401 403 403 201 403 403 403 403");
    e(
        "GET /v1/kitchens/{id}/documents/{document_id}/file",
        Needs.DOCUMENT,
        "401 403 403 200 403 200 403 403");
    e(
        "DELETE /v1/kitchens/{id}/documents/{document_id}",
        Needs.DOCUMENT,
        "401 403 403 200 403 200 403 403");
    e("GET /v1/kitchens/{id}/compliance", Needs.KITCHEN, "401 403 403 200 403 200 403 403");
    e("GET /v1/admin/compliance/reviews", Needs.NOTHING, "401 403 403 403 403 200 403 403");
    e(
        "POST /v1/admin/compliance/documents/{document_id}/approve",
        Needs.DOCUMENT,
        "401 403 403 403 403 200 403 403");
    e(
        "POST /v1/admin/compliance/documents/{document_id}/reject",
        Needs.DOCUMENT,
        "401 403 403 403 403 200 403 403");
    // The compliance lapse listings and the host's notices.
    e("GET /v1/kitchens/{id}/lapse-bookings", Needs.KITCHEN, "401 403 403 200 403 200 200 403");
    e("GET /v1/admin/compliance/lapses", Needs.NOTHING, "401 403 403 403 403 200 200 403");
    e("GET /v1/admin/stats", Needs.NOTHING, "401 403 403 403 403 200 200 403");
    e("GET /v1/hosts/me/compliance-notices", Needs.NOTHING, "401 403 403 200 200 403 403 403");
    // A host's own kitchens, drafts included (another host gets its own list: 200).
    e("GET /v1/hosts/me/kitchens", Needs.NOTHING, "401 403 403 200 200 403 403 403");
    // A host's own payouts by week (another host gets its own: 200).
    e("GET /v1/hosts/me/payouts", Needs.NOTHING, "401 403 403 200 200 403 403 403");
    e("GET /v1/admin/payouts", Needs.NOTHING, "401 403 403 403 403 200 403 403");
    e("GET /v1/admin/reconciliation", Needs.NOTHING, "401 403 403 403 403 200 403 403");
    // The built-in accounts' public routes: whoever asks, and with no body, the same answer.
    e("POST /v1/accounts", Needs.NOTHING, "400 400 400 400 400 400 400 400");
    e("POST /v1/sessions", Needs.NOTHING, "400 400 400 400 400 400 400 400");
    e("POST /v1/sessions/refresh", Needs.NOTHING, "400 400 400 400 400 400 400 400");
    e("POST /v1/sessions/sign-out", Needs.NOTHING, "400 400 400 400 400 400 400 400");
    // Admins and operators make accounts of any role (with no body: a 400 past the role check).
    e("POST /v1/admin/accounts", Needs.NOTHING, "401 403 403 403 403 400 400 403");
    // Stripe calls the webhook without a token; this node has no Stripe: 404 for everyone.
    e("POST /v1/webhooks/stripe", Needs.NOTHING, "404 404 404 404 404 404 404 404");
    e("GET /health", Needs.NOTHING, "200 200 200 200 200 200 200 200");
    e("GET /health/live", Needs.NOTHING, "200 200 200 200 200 200 200 200");
    e("GET /health/ready", Needs.NOTHING, "200 200 200 200 200 200 200 200");
    e("GET /health/projections", Needs.NOTHING, "200 200 200 200 200 200 200 200");
  }

  private static void e(String operation, Needs needs, String statuses) {
    EXPECTED.put(operation, new Expectation(needs, statuses));
  }

  private static TestDatabase db;
  private static TestNode node;
  private static final Map<String, String> tokens = new LinkedHashMap<>();
  private static int nextDay = 2;

  @BeforeAll
  static void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    tokens.put("owning renter", node.token("m-renter", "renter"));
    tokens.put("other renter", node.token("m-renter-2", "renter"));
    tokens.put("owning host", node.token("m-host", "host"));
    tokens.put("other host", node.token("m-host-2", "host"));
    tokens.put("admin", node.token("m-admin", "admin"));
    tokens.put("operator", node.token("m-op", "operator"));
    tokens.put("host id, renter role", node.token("m-host", "renter"));
    // The owning host has a profile (the other host has none: its GET /v1/hosts/me is a 404), in a
    // country without compliance rules, so its kitchens publish.
    Reply saved =
        node.send(
            "PUT",
            "/v1/hosts/me",
            tokens.get("owning host"),
            OnboardingApiContract.profileJson("FR", null));
    assertThat(saved.status()).as(saved.body().toString()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  /** The objects an operation is asked about. */
  record Fixture(String kitchen, String booking, String document) {}

  @Test
  void everyOperationOfTheDocumentHasItsExpectedStatusForEveryCaller() throws Exception {
    JsonNode spec =
        new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
    TreeSet<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (List.of("get", "post", "put", "patch", "delete").contains(method))
          documented.add(method.toUpperCase() + " " + path.getKey());
      }
    }
    assertThat(new TreeSet<>(EXPECTED.keySet()))
        .as("every operation of openapi.yaml has its line in EXPECTED, and only those")
        .isEqualTo(documented);

    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Map.Entry<String, Expectation> op : EXPECTED.entrySet()) {
      String method = op.getKey().substring(0, op.getKey().indexOf(' '));
      String template = op.getKey().substring(op.getKey().indexOf(' ') + 1);
      JsonNode responses = spec.at("/paths/" + pointer(template) + "/" + method.toLowerCase());
      List<String> listed = new ArrayList<>();
      responses.path("responses").fieldNames().forEachRemaining(listed::add);
      String[] statuses = op.getValue().statuses().trim().split("\\s+");
      assertThat(statuses).as(op.getKey()).hasSize(CALLERS.size());
      boolean write = !method.equals("GET");

      // Refusals first, all on one set of objects, read back after each.
      Fixture shared = fixture(op.getValue().needs());
      for (int i = 0; i < CALLERS.size(); i++) {
        int expected = Integer.parseInt(statuses[i]);
        if (expected < 400 && write) continue;
        JsonNode before = write ? state(shared) : null;
        Reply reply = ask(method, template, shared, CALLERS.get(i));
        cells++;
        check(op.getKey(), CALLERS.get(i), expected, reply, listed, wrong);
        if (write) {
          JsonNode after = state(shared);
          if (!after.equals(before))
            wrong.add(
                op.getKey()
                    + " as "
                    + CALLERS.get(i)
                    + " was refused but changed "
                    + before
                    + " into "
                    + after);
        }
      }
      // Allowed writes, each on objects of its own.
      for (int i = 0; i < CALLERS.size(); i++) {
        int expected = Integer.parseInt(statuses[i]);
        if (expected >= 400 || !write) continue;
        Fixture own = fixture(op.getValue().needs());
        Reply reply = ask(method, template, own, CALLERS.get(i));
        cells++;
        check(op.getKey(), CALLERS.get(i), expected, reply, listed, wrong);
        if (template.equals("/v1/admin/projections/pause"))
          assertThat(ask("POST", "/v1/admin/projections/resume", own, "admin").status())
              .isEqualTo(200);
      }
    }
    assertThat(wrong).as("cells that differ from EXPECTED").isEmpty();
    assertThat(cells).isEqualTo(EXPECTED.size() * CALLERS.size());
  }

  private static void check(
      String op, String caller, int expected, Reply reply, List<String> listed, List<String> out) {
    String cell = op + " as " + caller + ": " + reply.status();
    if (reply.status() != expected) out.add(cell + " (expected " + expected + ") " + reply.body());
    else if (!listed.contains(String.valueOf(reply.status())))
      out.add(cell + " is not among the document's responses " + listed);
  }

  private static String pointer(String template) {
    return template.replace("~", "~0").replace("/", "~1");
  }

  // ---------------------------------------------------------------- asking

  private static Reply ask(String method, String template, Fixture f, String caller) {
    String token = caller.equals("none") ? null : tokens.get(caller);
    String url =
        template
            .replace(
                "{id}",
                template.startsWith("/v1/bookings") ? nullSafe(f.booking()) : nullSafe(f.kitchen()))
            .replace("{document_id}", nullSafe(f.document()));
    if (template.endsWith("/availability")) {
      Instant from = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
      url += "?from=" + from + "&to=" + from.plus(Duration.ofDays(1));
    }
    if (template.equals("/v1/admin/payouts")) url += "?week=2020-W01";
    if (template.equals("/v1/admin/stats")) url += "?from=2020-01-01&to=2020-01-08";
    if (template.equals("/v1/admin/reconciliation"))
      url += "?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z";
    String key = method + " " + template;
    return switch (key) {
      case "POST /v1/kitchens/{id}/documents" -> upload(token, f.kitchen());
      case "POST /v1/kitchens" -> node.send(method, url, token, KITCHEN);
      case "PATCH /v1/kitchens/{id}" -> node.send(method, url, token, "{\"name\":\"M\"}");
      case "POST /v1/kitchens/{id}/bookings" -> node.send(method, url, token, slot(f));
      case "POST /v1/bookings/{id}/payment/simulate" ->
          node.send(method, url, token, "{\"outcome\":\"succeeded\"}");
      case "POST /v1/bookings/{id}/refunds" ->
          node.send(method, url, token, "{\"amount_cents\":100}");
      case "PUT /v1/hosts/me" ->
          node.send(method, url, token, OnboardingApiContract.profileJson("FR", null));
      case "POST /v1/admin/compliance/documents/{document_id}/approve" ->
          node.send(method, url, token, "{\"reason\":\"checked\"}");
      case "POST /v1/admin/compliance/documents/{document_id}/reject" ->
          node.send(method, url, token, "{\"reason\":\"unreadable\"}");
      case "POST /v1/webhooks/stripe" -> node.send(method, url, token, "{}");
      default -> node.send(method, url, token, null);
    };
  }

  private static String nullSafe(String id) {
    return id == null ? "none" : id;
  }

  // ---------------------------------------------------------------- objects

  private static final String KITCHEN =
      "{\"name\":\"M\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500,\"opening_hours\":{"
          + String.join(
              ",",
              Stream.of("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                  .map(d -> "\"" + d + "\":[{\"open\":\"06:00\",\"close\":\"23:00\"}]")
                  .toList())
          + "}}";

  /** A slot on a day of its own, so holds on one kitchen never overlap. */
  private static String slot(Fixture f) {
    Instant start =
        TestDates.today(node.clock(), ZoneOffset.UTC)
            .plusDays(nextDay++)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC)
            .plus(Duration.ofHours(10));
    return "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\"}";
  }

  private static Fixture fixture(Needs needs) {
    if (needs == Needs.NOTHING) return new Fixture(null, null, null);
    String kitchen = node.publishedKitchen(tokens.get("owning host"), KITCHEN);
    if (needs == Needs.KITCHEN) return new Fixture(kitchen, null, null);
    if (needs == Needs.DOCUMENT) {
      Reply up = upload(tokens.get("owning host"), kitchen);
      assertThat(up.status()).as(up.body().toString()).isEqualTo(201);
      return new Fixture(kitchen, null, up.body().get("document_id").asText());
    }
    Fixture k = new Fixture(kitchen, null, null);
    Reply held =
        node.post("/v1/kitchens/" + kitchen + "/bookings", tokens.get("owning renter"), slot(k));
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    String booking = held.body().get("booking_id").asText();
    if (needs != Needs.BOOKING) {
      Reply pay =
          node.post("/v1/bookings/" + booking + "/payment", tokens.get("owning renter"), null);
      assertThat(pay.status()).as(pay.body().toString()).isEqualTo(200);
    }
    if (needs == Needs.PAID) {
      Reply paid =
          node.post(
              "/v1/bookings/" + booking + "/payment/simulate",
              tokens.get("owning renter"),
              "{\"outcome\":\"succeeded\"}");
      assertThat(paid.status()).as(paid.body().toString()).isEqualTo(200);
    }
    return new Fixture(kitchen, booking, null);
  }

  /** The objects as an admin reads them, and the journal's kitchens. */
  private static JsonNode state(Fixture f) throws Exception {
    String admin = tokens.get("admin");
    var state = TestNode.MAPPER.createObjectNode();
    state.put("kitchens in the journal", journalKitchens());
    if (f.kitchen() != null) {
      state.set("kitchen", node.get("/v1/kitchens/" + f.kitchen(), admin).body());
      state.set("documents", node.get("/v1/kitchens/" + f.kitchen() + "/documents", admin).body());
    }
    if (f.booking() != null) {
      state.set("booking", node.get("/v1/bookings/" + f.booking(), admin).body());
      state.set("payment", node.get("/v1/bookings/" + f.booking() + "/payment", admin).body());
    }
    return state;
  }

  private static long journalKitchens() throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT persistence_id) FROM event_journal"
                    + " WHERE persistence_id LIKE 'Kitchen|%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A distinct small JPEG-looking file as a HEALTH_PERMIT. */
  private static Reply upload(String token, String kitchenId) {
    return node.upload(token, kitchenId, "HEALTH_PERMIT", "a.jpg", TestNode.distinctJpeg());
  }
}
