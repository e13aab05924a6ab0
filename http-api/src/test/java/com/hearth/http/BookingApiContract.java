package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestClock;
import com.hearth.testing.TestDates;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The booking API's contract, from HTTP to journal and back, run once per database backend.
 *
 * <p>The node's clock starts on Wednesday 2027-01-06 at 10:00 in New York (15:00Z) and runs on from
 * there, so every run books the same days, and both of New York's 2027 daylight-saving transitions
 * lie ahead within a year.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BookingApiContract {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Instant START = Instant.parse("2027-01-06T15:00:00Z");

  /**
   * The node's day in New York when the tests start; every helper counts from it, never from the
   * real date.
   */
  static final LocalDate TODAY = LocalDate.of(2027, 1, 6);

  TestDatabase db;
  TestNode node;
  String host;
  String otherHost;
  String renter;
  String otherRenter;
  String admin;

  abstract TestDatabase.Backend backend();

  @BeforeAll
  void startNode() {
    db = TestDatabase.create(backend());
    node = TestNode.start(db, Map.of(), TestClock.runningFrom(START));
    host = node.token("host-1", "host");
    otherHost = node.token("host-2", "host");
    renter = node.token("renter-1", "renter");
    otherRenter = node.token("renter-2", "renter");
    admin = node.token("admin-1", "admin");
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  // ------------------------------------------------------------------ helpers

  String createKitchen(String token, String extraJson) {
    Reply r =
        node.post(
            "/v1/kitchens",
            token,
            "{\"name\":\"Test kitchen\",\"address\":\"1 Main St, Springfield\","
                + "\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":2500"
                + extraJson
                + "}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("kitchen_id").asText();
  }

  String publishedKitchen(String extraJson) {
    String id = createKitchen(host, extraJson);
    assertThat(node.post("/v1/kitchens/" + id + "/publish", host, null).status()).isEqualTo(200);
    return id;
  }

  /** A local time in New York, {@code days} after {@link #TODAY}. */
  static Instant at(int days, int hour, int minute) {
    return TestDates.at(TODAY.plusDays(days), hour, minute, NEW_YORK);
  }

  static String slot(Instant start, Instant end) {
    return "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}";
  }

  Reply hold(String kitchenId, String token, Instant start, Instant end, String... headers) {
    return node.post("/v1/kitchens/" + kitchenId + "/bookings", token, slot(start, end), headers);
  }

  // ------------------------------------------------------------------ the happy path

  @Test
  void kitchenLifecycleAndBookingFlow() {
    Reply created =
        node.post(
            "/v1/kitchens",
            host,
            """
        {"name":"Flow kitchen","time_zone":"America/New_York","hourly_rate_cents":2500,"tax_bps":825,
         "opening_hours":{"mon":[{"open":"08:00","close":"22:00"}],"tue":[{"open":"08:00","close":"22:00"}],
           "wed":[{"open":"08:00","close":"22:00"}],"thu":[{"open":"08:00","close":"22:00"}],
           "fri":[{"open":"08:00","close":"22:00"}],"sat":[{"open":"08:00","close":"22:00"}],
           "sun":[{"open":"08:00","close":"22:00"}]}}""");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("status").asText()).isEqualTo("DRAFT");
    assertThat(created.body().get("currency").asText()).isEqualTo("USD");
    assertThat(created.body().at("/rules/slot_minutes").asInt()).isEqualTo(30);
    String kitchenId = created.body().get("kitchen_id").asText();
    assertThat(created.header("Location")).isEqualTo("/v1/kitchens/" + kitchenId);

    Instant start = at(3, 10, 0);
    Instant end = at(3, 12, 30);
    Reply onDraft = hold(kitchenId, renter, start, end);
    assertThat(onDraft.status()).as("a draft is hidden from renters").isEqualTo(404);
    assertThat(onDraft.raw().headers().firstValue("Content-Type"))
        .hasValue("application/problem+json");

    // A draft is visible to its host only.
    assertThat(node.get("/v1/kitchens/" + kitchenId, otherRenter).status()).isEqualTo(404);
    assertThat(node.post("/v1/kitchens/" + kitchenId + "/publish", otherHost, null).status())
        .isEqualTo(404);
    assertThat(
            node.post("/v1/kitchens/" + kitchenId + "/publish", host, null)
                .body()
                .get("status")
                .asText())
        .isEqualTo("PUBLISHED");
    assertThat(node.get("/v1/kitchens/" + kitchenId, otherRenter).status()).isEqualTo(200);
    assertThat(
            node.send("PATCH", "/v1/kitchens/" + kitchenId, otherHost, "{\"name\":\"Mine now\"}")
                .status())
        .isEqualTo(403);

    Reply held = hold(kitchenId, renter, start, end);
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    JsonNode b = held.body();
    String bookingId = b.get("booking_id").asText();
    assertThat(b.get("status").asText()).isEqualTo("HELD");
    assertThat(b.get("renter_id").asText()).isEqualTo("renter-1");
    assertThat(Instant.parse(b.get("start").asText())).isEqualTo(start);
    // 2.5 h at 25.00/h: 6250; fee 15 % = 937.5 -> 938; tax 8.25 % = 515.625 -> 516.
    assertThat(b.at("/price/subtotal_cents").asLong()).isEqualTo(6250);
    assertThat(b.at("/price/platform_fee_cents").asLong()).isEqualTo(938);
    assertThat(b.at("/price/tax_cents").asLong()).isEqualTo(516);
    assertThat(b.at("/price/total_cents").asLong()).isEqualTo(6766);
    assertThat(b.at("/price/host_payout_cents").asLong()).isEqualTo(5312);
    Instant expires = Instant.parse(b.get("hold_expires_at").asText());
    assertThat(Duration.between(Instant.parse(b.get("held_at").asText()), expires))
        .isEqualTo(Duration.ofMinutes(10));

    // Read-your-write: the GET right after the POST sees the hold.
    Reply fetched = node.get("/v1/bookings/" + bookingId, renter);
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.body().get("status").asText()).isEqualTo("HELD");
    assertThat(node.get("/v1/bookings/" + bookingId, host).status()).isEqualTo(200);
    assertThat(node.get("/v1/bookings/" + bookingId, otherRenter).status()).isEqualTo(404);
    assertThat(node.get("/v1/bookings/" + bookingId, otherHost).status()).isEqualTo(404);

    // The held slot leaves the availability; the rest of the day's opening hours stay free.
    Reply free =
        node.get(
            "/v1/kitchens/"
                + kitchenId
                + "/availability?from="
                + at(3, 0, 0)
                + "&to="
                + at(4, 0, 0),
            otherRenter);
    assertThat(free.status()).isEqualTo(200);
    assertThat(free.body().get("free").toString())
        .isEqualTo(
            "[{\"start\":\""
                + at(3, 8, 0)
                + "\",\"end\":\""
                + start
                + "\"},"
                + "{\"start\":\""
                + end
                + "\",\"end\":\""
                + at(3, 22, 0)
                + "\"}]");

    Reply overlap = hold(kitchenId, otherRenter, at(3, 12, 0), at(3, 13, 0));
    assertThat(overlap.status()).isEqualTo(409);
    assertThat(overlap.code()).isEqualTo("SLOT_UNAVAILABLE");

    assertThat(node.post("/v1/bookings/" + bookingId + "/confirm", renter, null).status())
        .isEqualTo(403);
    Reply confirmed = node.post("/v1/bookings/" + bookingId + "/confirm", admin, null);
    assertThat(confirmed.status()).isEqualTo(200);
    assertThat(confirmed.body().get("status").asText()).isEqualTo("CONFIRMED");

    // Three days ahead, a renter's cancellation refunds the total less 5 %: 6766 - 338 (338.3) =
    // 6428.
    Reply cancelled =
        node.post(
            "/v1/bookings/" + bookingId + "/cancel", renter, "{\"reason\":\"plans changed\"}");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.body().get("refund_cents").asLong()).isEqualTo(6428);
    assertThat(cancelled.body().get("cancelled_by").asText()).isEqualTo("renter");
    assertThat(node.post("/v1/bookings/" + bookingId + "/confirm", admin, null).code())
        .isEqualTo("INVALID_STATE");

    // The slot is free again.
    assertThat(hold(kitchenId, otherRenter, at(3, 12, 0), at(3, 13, 0)).status()).isEqualTo(201);
  }

  @Test
  void hostCancellationRefundsInFullAndHeldCancellationCostsNothing() {
    String kitchenId = publishedKitchen("");
    String a = hold(kitchenId, renter, at(5, 9, 0), at(5, 10, 0)).body().get("booking_id").asText();
    node.post("/v1/bookings/" + a + "/confirm", admin, null);
    Reply byHost = node.post("/v1/bookings/" + a + "/cancel", host, null);
    assertThat(byHost.status()).isEqualTo(200);
    assertThat(byHost.body().get("refund_cents").asLong()).isEqualTo(2500);
    assertThat(byHost.body().get("cancelled_by").asText()).isEqualTo("host");

    String b =
        hold(kitchenId, renter, at(5, 11, 0), at(5, 12, 0)).body().get("booking_id").asText();
    Reply heldCancel = node.post("/v1/bookings/" + b + "/cancel", renter, null);
    assertThat(heldCancel.body().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(heldCancel.body().get("refund_cents").asLong()).isZero();
    assertThat(node.post("/v1/bookings/" + b + "/cancel", otherRenter, null).status())
        .isEqualTo(404);
  }

  // ------------------------------------------------------------------ rules

  @Test
  void everyBrokenRuleIsA422NamingTheRule() {
    String kitchenId =
        publishedKitchen(
            """
        ,"rules":{"min_duration_minutes":60,"max_duration_minutes":240,"min_notice_minutes":120,"horizon_days":30},
        "opening_hours":{"mon":[{"open":"08:00","close":"20:00"}],"tue":[{"open":"08:00","close":"20:00"}],
          "wed":[{"open":"08:00","close":"20:00"}],"thu":[{"open":"08:00","close":"20:00"}],
          "fri":[{"open":"08:00","close":"20:00"}],"sat":[{"open":"08:00","close":"20:00"}],
          "sun":[{"open":"08:00","close":"20:00"}]},
        "blackouts":[{"start":"%s","end":"%s"}]"""
                .strip()
                .formatted(at(10, 0, 0), at(11, 0, 0)));
    long heldBefore = db.eventCount("SlotHeld");
    Instant now = node.clock().instant();
    Map<String, Instant[]> cases =
        Map.of(
            "IN_PAST",
                new Instant[] {
                  now.minus(Duration.ofDays(1)),
                  now.minus(Duration.ofDays(1)).plus(Duration.ofHours(1))
                },
            "MISALIGNED", new Instant[] {at(3, 9, 15), at(3, 10, 15)},
            "TOO_SHORT", new Instant[] {at(3, 9, 0), at(3, 9, 30)},
            "TOO_LONG", new Instant[] {at(3, 9, 0), at(3, 14, 0)},
            "TOO_SOON",
                new Instant[] {
                  ceilHalfHour(now.plus(Duration.ofMinutes(30))),
                  ceilHalfHour(now.plus(Duration.ofMinutes(30))).plus(Duration.ofHours(1))
                },
            "BEYOND_HORIZON", new Instant[] {at(40, 9, 0), at(40, 10, 0)},
            "IN_BLACKOUT", new Instant[] {at(10, 9, 0), at(10, 10, 0)},
            "OUTSIDE_OPENING_HOURS", new Instant[] {at(3, 19, 0), at(3, 21, 0)});
    cases.forEach(
        (rule, slot) -> {
          Reply r = hold(kitchenId, renter, slot[0], slot[1]);
          assertThat(r.status()).as(rule + " " + r.body()).isEqualTo(422);
          assertThat(r.code()).isEqualTo("RULE_VIOLATION");
          assertThat(r.body().get("rule").asText()).isEqualTo(rule);
        });
    assertThat(db.eventCount("SlotHeld")).as("rejections persist nothing").isEqualTo(heldBefore);
  }

  private static Instant ceilHalfHour(Instant t) {
    long halfHours = (t.getEpochSecond() + 1799) / 1800;
    return Instant.ofEpochSecond(halfHours * 1800);
  }

  @Test
  void cleaningBufferKeepsNeighboursApart() {
    String kitchenId = publishedKitchen(",\"rules\":{\"buffer_minutes\":30}");
    assertThat(hold(kitchenId, renter, at(4, 10, 0), at(4, 12, 0)).status()).isEqualTo(201);
    assertThat(hold(kitchenId, otherRenter, at(4, 12, 0), at(4, 13, 0)).code())
        .isEqualTo("SLOT_UNAVAILABLE");
    assertThat(hold(kitchenId, otherRenter, at(4, 12, 30), at(4, 13, 30)).status()).isEqualTo(201);
  }

  // New York's transitions of 2027, written out rather than read from the zone rules. The kitchen
  // opens on Sundays from 00:00 to 06:00 local time; a hold from 00:00 to 04:00 local spans the
  // transition at 02:00.

  @Test
  void theSpringForwardDayPricesAndOffersOnlyTheHoursThatExist() {
    // Sunday 2027-03-14 (second Sunday of March): at 02:00 EST the clocks jump to 03:00 EDT.
    // 00:00 EST (UTC-5) = 05:00Z; 04:00 EDT (UTC-4) = 08:00Z: 3 real hours, 3 x 2500 = 7500.
    // Still open from 04:00 EDT = 08:00Z to 06:00 EDT = 10:00Z. The local day ends at
    // 2027-03-15T00:00 EDT = 04:00Z, 23 hours after it began (the query runs to it).
    assertTransitionDay(
        "2027-03-14T00:00:00-05:00",
        "2027-03-14T04:00:00-04:00",
        "2027-03-15T00:00:00-04:00",
        "2027-03-14T05:00:00Z",
        "2027-03-14T08:00:00Z",
        7500,
        "2027-03-14T08:00:00Z",
        "2027-03-14T10:00:00Z");
  }

  @Test
  void theFallBackDayPricesTheRepeatedHourOnceAndOffersItsRealLength() {
    // Sunday 2027-11-07 (first Sunday of November): at 02:00 EDT the clocks fall back to 01:00 EST.
    // 00:00 EDT (UTC-4) = 04:00Z; 04:00 EST (UTC-5) = 09:00Z: 5 real hours, 5 x 2500 = 12500.
    // Still open from 04:00 EST = 09:00Z to 06:00 EST = 11:00Z. The local day ends at
    // 2027-11-08T00:00 EST = 05:00Z, 25 hours after it began (the query runs to it).
    assertTransitionDay(
        "2027-11-07T00:00:00-04:00",
        "2027-11-07T04:00:00-05:00",
        "2027-11-08T00:00:00-05:00",
        "2027-11-07T04:00:00Z",
        "2027-11-07T09:00:00Z",
        12500,
        "2027-11-07T09:00:00Z",
        "2027-11-07T11:00:00Z");
  }

  /**
   * Holds {@code [localStart, localEnd)} (sent with their local offsets) on a kitchen open on
   * Sundays 00:00 to 06:00 New York time, and checks the hold's instants and price and the day's
   * free time.
   */
  private void assertTransitionDay(
      String localStart,
      String localEnd,
      String nextMidnight,
      String heldStart,
      String heldEnd,
      long subtotalCents,
      String freeStart,
      String freeEnd) {
    String kitchenId =
        publishedKitchen(
            ",\"rules\":{\"horizon_days\":400,\"min_notice_minutes\":0},"
                + "\"opening_hours\":{\"sun\":[{\"open\":\"00:00\",\"close\":\"06:00\"}]}");
    Reply held =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + localStart + "\",\"end\":\"" + localEnd + "\"}");
    assertThat(held.status()).as(held.body().toString()).isEqualTo(201);
    assertThat(Instant.parse(held.body().get("start").asText()))
        .isEqualTo(Instant.parse(heldStart));
    assertThat(Instant.parse(held.body().get("end").asText())).isEqualTo(Instant.parse(heldEnd));
    // Rate 2500 per hour (the base kitchen): every real minute counted once, no other.
    assertThat(held.body().at("/price/subtotal_cents").asLong()).isEqualTo(subtotalCents);

    Reply free =
        node.get(
            "/v1/kitchens/"
                + kitchenId
                + "/availability?from="
                + heldStart
                + "&to="
                + java.time.OffsetDateTime.parse(nextMidnight).toInstant(),
            renter);
    assertThat(free.status()).as(free.body().toString()).isEqualTo(200);
    assertThat(free.body().get("free").toString())
        .isEqualTo("[{\"start\":\"" + freeStart + "\",\"end\":\"" + freeEnd + "\"}]");
  }

  // ------------------------------------------------------------------ idempotency

  @Test
  void idempotentRetriesReturnTheOriginalBooking() {
    String kitchenId = publishedKitchen("");
    Reply first = hold(kitchenId, renter, at(6, 9, 0), at(6, 10, 0), "Idempotency-Key", "retry-1");
    assertThat(first.status()).isEqualTo(201);
    // The same instants written with another offset are the same request.
    Reply again =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\""
                + at(6, 9, 0).atZone(NEW_YORK).toOffsetDateTime()
                + "\",\"end\":\""
                + at(6, 10, 0).atZone(NEW_YORK).toOffsetDateTime()
                + "\"}",
            "Idempotency-Key",
            "retry-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.header("Location")).isNull();
    assertThat(again.body().get("booking_id")).isEqualTo(first.body().get("booking_id"));

    Reply reused =
        hold(kitchenId, renter, at(6, 11, 0), at(6, 12, 0), "Idempotency-Key", "retry-1");
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    // Keys belong to their renter: another renter's same key is a new request.
    assertThat(
            hold(kitchenId, otherRenter, at(6, 11, 0), at(6, 12, 0), "Idempotency-Key", "retry-1")
                .status())
        .isEqualTo(201);
  }

  @Test
  void anIdempotentKitchenCreateMakesOneKitchenAndRefusesAnotherBodyUnderItsKey() {
    String body = "{\"name\":\"Idem\",\"time_zone\":\"Europe/Berlin\",\"hourly_rate_cents\":100}";
    Reply k1 = node.post("/v1/kitchens", host, body, "Idempotency-Key", "kitchen-key");
    Reply k2 = node.post("/v1/kitchens", host, body, "Idempotency-Key", "kitchen-key");
    assertThat(k1.status()).isEqualTo(201);
    assertThat(k2.status()).isEqualTo(200);
    assertThat(k2.body().get("kitchen_id")).isEqualTo(k1.body().get("kitchen_id"));
    Reply k3 =
        node.post(
            "/v1/kitchens", host, body.replace("Idem", "Other"), "Idempotency-Key", "kitchen-key");
    assertThat(k3.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    // This kitchen's own journal, not the shared database's: one event, its creation.
    assertThat(journalOf("Kitchen|" + k1.body().get("kitchen_id").asText()))
        .containsExactly("KitchenCreated");
  }

  /** The event types in one entity's journal, in order. */
  List<String> journalOf(String persistenceId) {
    List<String> types = new ArrayList<>();
    try (java.sql.Connection c = db.connect();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT event_ser_manifest FROM event_journal WHERE persistence_id = ? ORDER BY sequence_number")) {
      ps.setString(1, persistenceId);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next())
          types.add(rs.getString(1).substring(rs.getString(1).lastIndexOf('$') + 1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return types;
  }

  // ------------------------------------------------------------------ bad input and access

  @Test
  void badInputIsA4xxProblemAndChangesNothing() {
    String kitchenId = publishedKitchen("");
    long before = db.eventCount("SlotHeld");
    Map<String, String> bodies =
        Map.of(
            "{", "body",
            "{\"start\":\"2030-01-01T10:00:00Z\",\"end\":\"2030-01-01T11:00:00Z\",\"extra\":1}",
                "extra",
            "{\"start\":\"tomorrow\",\"end\":\"2030-01-01T11:00:00Z\"}", "start",
            "{\"start\":\"2030-01-01T10:00:00\",\"end\":\"2030-01-01T11:00:00Z\"}", "start",
            "{\"start\":\"2030-01-01T12:00:00Z\",\"end\":\"2030-01-01T11:00:00Z\"}", "end",
            "{\"start\":5,\"end\":\"2030-01-01T11:00:00Z\"}", "start",
            "[]", "body",
            "{\"end\":\"2030-01-01T11:00:00Z\"}", "start");
    bodies.forEach(
        (json, field) -> {
          Reply r = node.post("/v1/kitchens/" + kitchenId + "/bookings", renter, json);
          assertThat(r.status()).as(json + " -> " + r.body()).isEqualTo(400);
          assertThat(r.code()).isEqualTo("VALIDATION_FAILED");
          assertThat(r.body().at("/errors/0/field").asText()).as(json).isEqualTo(field);
        });

    Reply badKitchen =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"x\",\"time_zone\":\"Mars/Olympus\",\"hourly_rate_cents\":-5,\"rules\":{\"slot_minutes\":7}}");
    assertThat(badKitchen.status()).isEqualTo(400);
    assertThat(badKitchen.body().get("errors").findValuesAsText("field"))
        .contains("time_zone", "hourly_rate_cents", "rules.slot_minutes");
    assertThat(
            node.post("/v1/kitchens", host, "{\"name\":\"x\",\"time_zone\":\"UTC\"}")
                .body()
                .at("/errors/0/field")
                .asText())
        .isEqualTo("hourly_rate_cents");
    assertThat(
            node.post(
                    "/v1/kitchens",
                    host,
                    "{\"name\":\"x\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":1,"
                        + "\"opening_hours\":{\"mon\":[{\"open\":\"25:00\",\"close\":\"26:00\"}]}}")
                .body()
                .at("/errors/0/field")
                .asText())
        .isEqualTo("opening_hours.mon[0].open");
    assertThat(
            node.send(
                    "PATCH",
                    "/v1/kitchens/" + kitchenId,
                    host,
                    "{\"rules\":{\"max_duration_minutes\":10}}")
                .body()
                .at("/errors/0/field")
                .asText())
        .isEqualTo("rules.max_duration_minutes");

    Reply wrongType = node.send("POST", "/v1/kitchens/" + kitchenId + "/bookings", renter, null);
    assertThat(wrongType.status()).isEqualTo(400);
    HttpRequest textBody =
        node.request("/v1/kitchens/" + kitchenId + "/bookings", renter)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("hello"))
            .build();
    assertThat(node.send(HttpRequest.newBuilder(textBody, (n, v) -> true)).status()).isEqualTo(415);
    String huge = "{\"reason\":\"" + "x".repeat(70_000) + "\"}";
    Reply tooLarge = node.post("/v1/kitchens/" + kitchenId + "/bookings", renter, huge);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.code()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(tooLarge.body().get("detail").asText()).doesNotContain("pekko");
    Reply missingTo =
        node.get("/v1/kitchens/" + kitchenId + "/availability?from=2030-01-01T00:00:00Z", renter);
    assertThat(missingTo.status()).isEqualTo(400);
    assertThat(missingTo.body().at("/errors/0/field").asText()).isEqualTo("to");
    assertThat(
            node.get(
                    "/v1/kitchens/"
                        + kitchenId
                        + "/availability?from=2030-01-01T00:00:00Z&to=2030-06-01T00:00:00Z",
                    renter)
                .code())
        .isEqualTo("VALIDATION_FAILED");
    assertThat(hold(kitchenId, renter, at(3, 9, 0), at(3, 10, 0), "Idempotency-Key", "").status())
        .isEqualTo(400);
    assertThat(db.eventCount("SlotHeld")).isEqualTo(before);
  }

  @Test
  void tokensRolesAndOwnershipAreEnforced() {
    String kitchenId = publishedKitchen("");
    Reply none = node.get("/v1/kitchens/" + kitchenId, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("UNAUTHORIZED");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(node.get("/v1/kitchens/" + kitchenId, "not-a-jwt").status()).isEqualTo(401);
    String forged =
        new JwtAuth("another-secret-that-is-long-enough-000000", java.time.Clock.systemUTC())
            .mint("renter-1", List.of("renter"), Duration.ofHours(1), java.time.Clock.systemUTC());
    assertThat(node.get("/v1/kitchens/" + kitchenId, forged).status()).isEqualTo(401);
    java.time.Clock threeHoursAgo = java.time.Clock.offset(node.clock(), Duration.ofHours(-3));
    String expired =
        new JwtAuth(TestNode.SECRET, threeHoursAgo)
            .mint("renter-1", List.of("renter"), Duration.ofHours(1), threeHoursAgo);
    assertThat(node.get("/v1/kitchens/" + kitchenId, expired).status()).isEqualTo(401);

    assertThat(hold(kitchenId, host, at(3, 9, 0), at(3, 10, 0)).status()).isEqualTo(403);
    assertThat(
            node.post(
                    "/v1/kitchens",
                    renter,
                    "{\"name\":\"x\",\"time_zone\":\"UTC\",\"hourly_rate_cents\":1}")
                .status())
        .isEqualTo(403);
    assertThat(node.post("/v1/kitchens/" + kitchenId + "/pause", otherHost, null).status())
        .isEqualTo(403);
    assertThat(node.get("/v1/kitchens/00000000-0000-0000-0000-000000000000", renter).status())
        .isEqualTo(404);
    assertThat(node.get("/v1/kitchens/not-an-id", renter).status()).isEqualTo(404);
    assertThat(node.get("/v1/bookings/bk_nope", renter).status()).isEqualTo(404);
    assertThat(node.get("/v1/bookings/bk_" + "0".repeat(48), renter).status()).isEqualTo(404);
    assertThat(node.get("/health/live", null).status()).isEqualTo(200);
    Reply ready = node.get("/health/ready", node.token("op-1", "operator"));
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().at("/checks/database").asBoolean()).isTrue();

    Reply paused = node.post("/v1/kitchens/" + kitchenId + "/pause", host, null);
    assertThat(paused.body().get("status").asText()).isEqualTo("PAUSED");
    Reply onPaused = hold(kitchenId, renter, at(3, 9, 0), at(3, 10, 0));
    assertThat(onPaused.status()).isEqualTo(409);
    assertThat(onPaused.code()).isEqualTo("KITCHEN_NOT_BOOKABLE");
    assertThat(node.get("/v1/kitchens/" + kitchenId, otherRenter).body().get("status").asText())
        .isEqualTo("PAUSED");
  }

  // ------------------------------------------------------------------ contention

  @Test
  void concurrentOverlappingHoldsNeverDoubleBook() {
    String kitchenId = publishedKitchen("");
    record Attempt(Instant start, Instant end, CompletableFuture<HttpResponse<String>> response) {}
    List<Attempt> attempts = new ArrayList<>();
    // 200 holds from 40 renters over staggered, overlapping slots of one day.
    for (int i = 0; i < 200; i++) {
      Instant start = at(7, 8, 0).plus(Duration.ofMinutes(30L * (i % 16)));
      Instant end = start.plus(Duration.ofMinutes(60 + 30L * (i % 3)));
      String token = node.token("renter-c" + (i % 40), "renter");
      HttpRequest request =
          node.request("/v1/kitchens/" + kitchenId + "/bookings", token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(slot(start, end)))
              .build();
      attempts.add(
          new Attempt(
              start, end, node.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())));
    }
    List<Instant[]> won = new ArrayList<>();
    for (Attempt a : attempts) {
      int status = a.response().join().statusCode();
      assertThat(status).as(a.response().join().body()).isIn(201, 409);
      if (status == 201) won.add(new Instant[] {a.start(), a.end()});
    }
    assertThat(won).isNotEmpty();
    for (int i = 0; i < won.size(); i++)
      for (int j = i + 1; j < won.size(); j++)
        assertThat(won.get(i)[0].isBefore(won.get(j)[1]) && won.get(j)[0].isBefore(won.get(i)[1]))
            .as("bookings %d and %d overlap", i, j)
            .isFalse();

    // 50 renters racing for exactly the same slot: exactly one wins.
    List<CompletableFuture<HttpResponse<String>>> race =
        IntStream.range(0, 50)
            .mapToObj(
                i -> {
                  HttpRequest request =
                      node.request(
                              "/v1/kitchens/" + kitchenId + "/bookings",
                              node.token("racer-" + i, "renter"))
                          .header("Content-Type", "application/json")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(slot(at(8, 10, 0), at(8, 11, 0))))
                          .build();
                  return node.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
                })
            .toList();
    List<Integer> statuses = race.stream().map(f -> f.join().statusCode()).toList();
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(49);
  }
}
