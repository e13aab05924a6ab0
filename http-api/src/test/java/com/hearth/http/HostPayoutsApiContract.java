package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /v1/hosts/me/payouts over real HTTP with the offline provider: a host's week, provisional
 * while no batch is recorded and final once an admin made it, agrees to the cent with bookings
 * made, paid and cancelled here and with the admin batch's line for the host; another host's money
 * is never shown; bad or too wide ranges are 400s. Run once per database backend.
 *
 * <p>The node's clock starts on Monday 2027-03-01 at 14:00Z, in ISO week 2027-W09 (March 1 to 8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostPayoutsApiContract {

  static final Duration SETTLE = Duration.ofSeconds(20);
  static final Instant START = Instant.parse("2027-03-01T14:00:00Z");

  TestDatabase db;
  TestNode node;
  String host;
  String otherHost;
  String renter;
  String admin;

  abstract TestDatabase.Backend backend();

  @BeforeAll
  void start() {
    db = TestDatabase.create(backend());
    node = TestNode.start(db, Map.of(), TestClock.runningFrom(START));
    host = node.token("host-1", "host");
    otherHost = node.token("host-2", "host");
    renter = node.token("renter-1", "renter");
    admin = node.token("admin-1", "admin");
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  String kitchen(String token) {
    Reply k =
        node.post(
            "/v1/kitchens",
            token,
            "{\"name\":\"Paid kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000,\"tax_bps\":825}");
    assertThat(k.status()).as(k.body().toString()).isEqualTo(201);
    String id = k.body().get("kitchen_id").asText();
    assertThat(node.post("/v1/kitchens/" + id + "/publish", token, null).status()).isEqualTo(200);
    return id;
  }

  /** A two-hour booking from {@code start}, paid in full (8,660) and confirmed. */
  String paidBooking(String kitchenId, String start) {
    Instant from = Instant.parse(start);
    return node.confirmedPaidBooking(kitchenId, renter, from, from.plus(Duration.ofHours(2)));
  }

  void awaitReadTablesCaughtUp() {
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              Reply r = node.get("/v1/me/bookings?limit=1", renter);
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.body().at("/freshness/pending_events").asLong()).isZero();
            });
  }

  /** The one week asked for, checked to be that week. */
  JsonNode week(String token, String week) {
    Reply r = node.get("/v1/hosts/me/payouts?from_week=" + week + "&to_week=" + week, token);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).contains("no-store");
    assertThat(r.body().get("items")).hasSize(1);
    JsonNode w = r.body().get("items").get(0);
    assertThat(w.get("week").asText()).isEqualTo(week);
    return w;
  }

  static String line(JsonNode week) {
    assertThat(week.get("lines")).hasSize(1);
    JsonNode l = week.get("lines").get(0);
    return String.join(
        ",",
        l.get("currency").asText(),
        l.get("bookings").asText(),
        l.get("gross_cents").asText(),
        l.get("fees_cents").asText(),
        l.get("refunds_cents").asText(),
        l.get("payout_cents").asText());
  }

  @Test
  void aHostsWeekAgreesWithItsBookingsAndWithTheAdminBatchToTheCent() {
    String kitchen = kitchen(host);
    String otherKitchen = kitchen(otherHost);
    // Thursday and Friday 2027-03-04/05, 10:00 to 12:00 in New York (EST, UTC-5): in 2027-W09.
    paidBooking(kitchen, "2027-03-04T15:00:00Z");
    String cancelled = paidBooking(kitchen, "2027-03-05T15:00:00Z");
    paidBooking(otherKitchen, "2027-03-06T15:00:00Z");
    // Four days ahead the renter gets the total less 5 %: 8,660 - 433 = 8,227, of which the host
    // bears 8,227 x 6,800 / 8,660 = 6,460 exactly.
    Reply cancel = node.post("/v1/bookings/" + cancelled + "/cancel", renter, null);
    assertThat(cancel.status()).as(cancel.body().toString()).isEqualTo(200);
    assertThat(cancel.body().get("refund_cents").asLong()).isEqualTo(8_227);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(
                        node.get("/v1/bookings/" + cancelled + "/payment", admin)
                            .body()
                            .get("refunded_cents")
                            .asLong())
                    .isEqualTo(8_227));
    awaitReadTablesCaughtUp();

    // Each booking: 2 h x 40.00 = gross 8,000 (before tax), fee 15 % = 1,200. Two bookings:
    // gross 16,000, fees 2,400, refunds 6,460 (the host's share), payout 16,000 - 2,400 - 6,460.
    String expected = "USD,2,16000,2400,6460,7140";
    JsonNode during = week(host, "2027-W09");
    assertThat(during.get("status").asText()).isEqualTo("provisional");
    assertThat(during.has("batch_created_at")).as("only a final week has one").isFalse();
    assertThat(during.get("week_start").asText()).isEqualTo("2027-03-01");
    assertThat(during.get("week_end").asText()).isEqualTo("2027-03-08");
    assertThat(line(during)).isEqualTo(expected);
    assertThat(line(week(otherHost, "2027-W09")))
        .as("the other host sees only its own booking")
        .isEqualTo("USD,1,8000,1200,0,6800");

    // Monday 2027-03-08, 01:00Z: 2027-W09 is over; asking again made no batch.
    node.clock().set(Instant.parse("2027-03-08T01:00:00Z"));
    JsonNode before = week(host, "2027-W09");
    assertThat(before.get("status").asText()).isEqualTo("provisional");
    assertThat(line(before)).isEqualTo(expected);

    Reply batch = node.get("/v1/admin/payouts?week=2027-W09", admin);
    assertThat(batch.status()).as(batch.raw().body()).isEqualTo(200);
    assertThat(batch.header("X-Payout-Batch-Created"))
        .as("the host's calls recorded nothing")
        .isEqualTo("true");
    List<String> rows = Arrays.asList(batch.raw().body().split("\r?\n"));
    assertThat(rows).contains("host-1,,,USD,2,16000,2400,6460,7140");

    JsonNode after = week(host, "2027-W09");
    assertThat(after.get("status").asText()).isEqualTo("final");
    assertThat(after.get("batch_created_at").asText()).startsWith("2027-03-08T01:");
    assertThat("host-1,,," + line(after)).isIn(rows);
    assertThat("host-2,,," + line(week(otherHost, "2027-W09"))).isIn(rows);

    // A range: the week before paid nothing; the current week, without a batch, nothing yet and
    // not the bookings the W09 batch paid.
    Reply range = node.get("/v1/hosts/me/payouts?from_week=2027-W08&to_week=2027-W10", host);
    assertThat(range.status()).isEqualTo(200);
    assertThat(range.body().get("items"))
        .extracting(w -> w.get("week").asText() + " " + w.get("status").asText())
        .containsExactly("2027-W08 provisional", "2027-W09 final", "2027-W10 provisional");
    assertThat(range.body().at("/items/0/lines")).isEmpty();
    assertThat(range.body().at("/items/2/lines")).isEmpty();
    // Default: the 8 weeks up to the current one (2027-W10).
    Reply byDefault = node.get("/v1/hosts/me/payouts", host);
    assertThat(byDefault.body().get("from_week").asText()).isEqualTo("2027-W03");
    assertThat(byDefault.body().get("to_week").asText()).isEqualTo("2027-W10");
    assertThat(byDefault.body().get("items")).hasSize(8);
  }

  @Test
  void badOrTooWideRangesAreRefusedAndOnlyHostsMayAsk() {
    assertBad("?from_week=2027-9&to_week=2027-W09", "from_week");
    assertBad("?from_week=2027-W09&to_week=2027-W54", "to_week");
    assertBad("?from_week=2027-W09&to_week=2027-W08", "to_week");
    assertBad("?from_week=2026-W01&to_week=2026-W27", "to_week");
    assertBad("?to_week=2099-W01", "to_week");
    assertThat(node.get("/v1/hosts/me/payouts?from_week=2026-W01&to_week=2026-W26", host).status())
        .as("26 weeks is the most")
        .isEqualTo(200);
    for (String notAHost : List.of(renter, admin)) {
      Reply refused = node.get("/v1/hosts/me/payouts", notAHost);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.code()).isEqualTo("FORBIDDEN");
    }
  }

  void assertBad(String query, String field) {
    Reply r = node.get("/v1/hosts/me/payouts" + query, host);
    assertThat(r.status()).as(query + ": " + r.raw().body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(r.body().at("/errors/0/field").asText()).isEqualTo(field);
  }
}
