package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.http.TestNode.Reply;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests against one real node, 10,000 per route: bodies that are almost JSON of the
 * route's own fields, headers and query strings. Whatever arrives, the answer is never a 5xx, and a
 * refusal (4xx) writes nothing to any kitchen's or payment's journal.
 */
class RouteFuzzTest {

  private static final int TRIES = 10_000;
  private static final List<String> FIELDS =
      List.of(
          "name",
          "address",
          "city",
          "time_zone",
          "currency",
          "hourly_rate_cents",
          "tax_bps",
          "rules",
          "slot_minutes",
          "min_duration_minutes",
          "opening_hours",
          "blackouts",
          "start",
          "end",
          "reason",
          "amount_cents",
          "outcome",
          "mon",
          "open",
          "close",
          "object",
          "id",
          "type",
          "created",
          "data");

  private static TestDatabase db;
  private static TestNode node;
  private static String host;
  private static String renter;
  private static String kitchen;

  /** One connection to the embedded database for the journal counts. */
  private static Connection journal;

  @BeforeContainer
  static void start() {
    db = TestDatabase.create(TestDatabase.Backend.H2);
    node = TestNode.start(db, Map.of());
    host = node.token("fuzz-host", "host");
    renter = node.token("fuzz-renter", "renter");
    kitchen =
        node.publishedKitchen(
            host, "{\"name\":\"Fuzz\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":2500}");
    try {
      journal = db.connect();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    if (journal != null) journal.close();
    if (node != null) node.close();
    if (db != null) db.close();
  }

  // ---------------------------------------------------------------- generators

  /** A JSON value of any type, sometimes out of range or fractional, nested at most twice. */
  private static Arbitrary<String> value(int depth) {
    Arbitrary<String> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40).map(RouteFuzzTest::quoted),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.of(
                "null",
                "true",
                "false",
                "0",
                "-1",
                "4500.99",
                "1e400",
                "9223372036854775808",
                "\"\"",
                "\"2026-12-01T09:00:00Z\"",
                "\"25:00\"",
                "\"Europe/Berlin\"",
                "\"USD\"",
                "\"succeeded\""));
    if (depth == 0) return scalars;
    return Arbitraries.oneOf(
        scalars,
        object(depth - 1),
        value(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"));
  }

  private static Arbitrary<String> object(int depth) {
    Arbitrary<String> key =
        Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(10));
    return Combinators.combine(key, value(depth))
        .as((k, v) -> quoted(k) + ":" + v)
        .list()
        .ofMaxSize(6)
        .map(pairs -> "{" + String.join(",", pairs) + "}");
  }

  /** Bodies: JSON-shaped objects of the routes' fields, broken JSON, and arbitrary text. */
  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, object(2)),
        net.jqwik.api.Tuple.of(2, object(1).map(o -> o.substring(0, o.length() / 2))),
        net.jqwik.api.Tuple.of(1, object(1).map(o -> o + o)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.of(
            "",
            "2026-12-01T09:00:00Z",
            "2026-12-01T09:00:00+01:00",
            "-1",
            "0",
            "1.5",
            "99999999999",
            "PUBLISHED",
            "DRAFT,PAUSED",
            "%00",
            "\u0000",
            "a".repeat(3000)));
  }

  /** Printable ASCII header values, as a client could send. */
  @Provide
  Arbitrary<String> headerValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(120),
        Arbitraries.of(
            "Bearer ",
            "Bearer a.b.c",
            "Bearer " + "x".repeat(5000),
            "application/json; charset=utf-16",
            "text/plain",
            "t=1,v1=00",
            "*"));
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = TRIES)
  void creatingAKitchen(@ForAll("bodies") String body) {
    refusedChangesNothing(() -> node.post("/v1/kitchens", host, body));
  }

  @Property(tries = TRIES)
  void updatingAKitchen(@ForAll("bodies") String body) {
    refusedChangesNothing(() -> node.send("PATCH", "/v1/kitchens/" + kitchen, host, body));
  }

  @Property(tries = TRIES)
  void holdingASlot(@ForAll("bodies") String body) {
    refusedChangesNothing(() -> node.post("/v1/kitchens/" + kitchen + "/bookings", renter, body));
  }

  @Property(tries = TRIES)
  void refunding(@ForAll("bodies") String body) {
    String booking = "bk_" + kitchen.replace("-", "") + "0123456789abcdef";
    refusedChangesNothing(() -> node.post("/v1/bookings/" + booking + "/refunds", host, body));
  }

  @Property(tries = TRIES)
  void theStripeWebhook(@ForAll("bodies") String body, @ForAll("headerValues") String signature) {
    refusedChangesNothing(
        () -> node.post("/v1/webhooks/stripe", null, body, "Stripe-Signature", signature));
  }

  @Property(tries = TRIES)
  void availabilityQueries(@ForAll("texts") String from, @ForAll("texts") String to) {
    refusedChangesNothing(
        () ->
            node.get(
                "/v1/kitchens/"
                    + kitchen
                    + "/availability?from="
                    + encoded(from)
                    + "&to="
                    + encoded(to),
                renter));
  }

  @Property(tries = TRIES)
  void listQueries(
      @ForAll("texts") String city,
      @ForAll("texts") String status,
      @ForAll("texts") String cursor) {
    refusedChangesNothing(
        () ->
            node.get(
                "/v1/kitchens?city="
                    + encoded(city)
                    + "&status="
                    + encoded(status)
                    + "&cursor="
                    + encoded(cursor)
                    + "&limit="
                    + encoded(status),
                renter));
  }

  @Property(tries = TRIES)
  void holdHeaders(
      @ForAll("headerValues") String authorization,
      @ForAll("headerValues") String key,
      @ForAll("headerValues") String contentType) {
    refusedChangesNothing(
        () -> {
          HttpRequest.Builder b =
              node.request("/v1/kitchens/" + kitchen + "/bookings", null)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2020-01-01T01:00:00Z\"}"));
          if (!authorization.isBlank()) b.header("Authorization", authorization.strip());
          if (!key.isBlank()) b.header("Idempotency-Key", key.strip());
          if (!contentType.isBlank()) b.header("Content-Type", contentType.strip());
          return node.send(b);
        });
  }

  // ---------------------------------------------------------------- checks

  private interface Call {
    Reply send();
  }

  private static void refusedChangesNothing(Call call) {
    long before = domainEvents();
    Reply reply = call.send();
    assertThat(reply.status()).as(reply.body().toString()).isLessThan(500);
    if (reply.status() >= 400)
      assertThat(domainEvents()).as("a refusal wrote events").isEqualTo(before);
  }

  /** Events of kitchens and payments in the journal (sharding's own bookkeeping left out). */
  private static long domainEvents() {
    try (Statement s = journal.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE 'Kitchen|%'"
                    + " OR persistence_id LIKE 'Payment|%'")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encoded(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
