package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.testing.TestClock;
import com.hearth.testing.TestDates;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Payments over HTTP with the offline provider: paying a hold confirms it, refunds never exceed
 * what was paid, a cancellation refunds its policy amount, a payment after the hold ended is
 * returned in full, a week's payout pays what ended in it. Run once per database backend.
 *
 * <p>The node's clock starts on Monday 2027-03-01 at 09:00 in New York (14:00Z) and runs on from
 * there; the payout test moves it on to later weeks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PaymentApiContract {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Duration SETTLE = Duration.ofSeconds(20);
  static final Instant START = Instant.parse("2027-03-01T14:00:00Z");

  TestDatabase db;
  TestNode node;
  String host;
  String renter;
  String otherRenter;
  String admin;
  String kitchenId;
  int day = 3;

  abstract TestDatabase.Backend backend();

  @BeforeAll
  void start() {
    db = TestDatabase.create(backend());
    node = TestNode.start(db, Map.of(), TestClock.runningFrom(START));
    host = node.token("host-1", "host");
    renter = node.token("renter-1", "renter");
    otherRenter = node.token("renter-2", "renter");
    admin = node.token("admin-1", "admin");
    Reply k =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"Paid kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000,\"tax_bps\":825}");
    kitchenId = k.body().get("kitchen_id").asText();
    assertThat(node.post("/v1/kitchens/" + kitchenId + "/publish", host, null).status())
        .isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  /**
   * What a two-hour hold at this test's kitchen costs, worked out by hand: 2 h x 4,000 = 8,000
   * subtotal; tax 8.25 % of it = 660; the renter pays 8,000 + 660 = 8,660.
   */
  static final long TOTAL = 8_660;

  /**
   * A two-hour hold on a new day, at least three days after the node's today (the 48 h policy
   * band).
   */
  JsonNode hold() {
    Instant start =
        TestDates.at(TestDates.today(node.clock(), NEW_YORK).plusDays(day++), 10, 0, NEW_YORK);
    return hold(start, start.plus(Duration.ofHours(2)));
  }

  JsonNode hold(Instant start, Instant end) {
    Reply r =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body();
  }

  /** Until the read tables hold every event written so far. */
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

  Reply pay(String bookingId) {
    return node.post("/v1/bookings/" + bookingId + "/payment", renter, null);
  }

  Reply settle(String bookingId, String outcome) {
    return node.post(
        "/v1/bookings/" + bookingId + "/payment/simulate",
        renter,
        "{\"outcome\":\"" + outcome + "\"}");
  }

  JsonNode payment(String bookingId) {
    Reply r = node.get("/v1/bookings/" + bookingId + "/payment", admin);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  String bookingStatus(String bookingId) {
    return node.get("/v1/bookings/" + bookingId, renter).body().get("status").asText();
  }

  @Test
  void payingAHoldConfirmsItAndThePaymentIsIdempotent() {
    JsonNode booking = hold();
    String id = booking.get("booking_id").asText();
    Reply first = pay(id);
    assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
    assertThat(booking.at("/price/total_cents").asLong()).isEqualTo(TOTAL);
    assertThat(first.body().get("amount_cents").asLong()).isEqualTo(TOTAL);
    assertThat(first.body().get("currency").asText()).isEqualTo("USD");
    assertThat(first.body().get("client_secret").asText())
        .startsWith(first.body().get("intent_id").asText());
    assertThat(first.body().get("status").asText()).isEqualTo("REQUIRES_PAYMENT");
    Reply again = pay(id);
    assertThat(again.body().get("intent_id").asText())
        .isEqualTo(first.body().get("intent_id").asText());

    Reply paid = settle(id, "succeeded");
    assertThat(paid.status()).as(paid.body().toString()).isEqualTo(200);
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(bookingStatus(id)).isEqualTo("CONFIRMED"));
    assertThat(payment(id).get("outcome").asText()).isEqualTo("CONFIRMED");
    assertThat(settle(id, "succeeded").status()).as("a payment succeeds once").isEqualTo(409);
  }

  @Test
  void onlyTheBookingsRenterPaysAndSeesTheClientSecret() {
    String id = hold().get("booking_id").asText();
    assertThat(pay(id).body().get("client_secret").asText()).isNotEmpty();
    assertThat(node.post("/v1/bookings/" + id + "/payment", otherRenter, null).status())
        .isEqualTo(404);
    assertThat(node.post("/v1/bookings/" + id + "/payment", host, null).status()).isEqualTo(403);
    assertThat(payment(id).has("client_secret"))
        .as("only the renter sees the client secret")
        .isFalse();
  }

  @Test
  void aFailedPaymentLeavesTheHoldAndTheRenterMayTryAgain() {
    String id = hold().get("booking_id").asText();
    pay(id);
    assertThat(settle(id, "failed").body().get("status").asText()).isEqualTo("FAILED");
    assertThat(bookingStatus(id)).isEqualTo("HELD");
    settle(id, "succeeded");
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(bookingStatus(id)).isEqualTo("CONFIRMED"));
  }

  /** A confirmed booking paid in full ({@link #TOTAL}). */
  String paidBooking() {
    String id = hold().get("booking_id").asText();
    pay(id);
    settle(id, "succeeded");
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(bookingStatus(id)).isEqualTo("CONFIRMED"));
    return id;
  }

  @Test
  void aRefundIsIdempotentByKeyAndNeverExceedsWhatIsLeft() {
    String id = paidBooking();
    String refunds = "/v1/bookings/" + id + "/refunds";
    Reply partial =
        node.post(
            refunds,
            host,
            "{\"amount_cents\":500,\"reason\":\"oven was cold\"}",
            "Idempotency-Key",
            "r-1");
    assertThat(partial.status()).as(partial.body().toString()).isEqualTo(202);
    assertThat(
            node.post(refunds, host, "{\"amount_cents\":500}", "Idempotency-Key", "r-1").status())
        .isEqualTo(202);
    assertThat(node.post(refunds, host, "{\"amount_cents\":600}", "Idempotency-Key", "r-1").code())
        .isEqualTo("IDEMPOTENCY_KEY_REUSED");
    // 500 of the 8,660 are refunded already: 8,161 is one cent more than is left.
    assertThat(node.post(refunds, host, "{\"amount_cents\":8161}", "Idempotency-Key", "r-2").code())
        .isEqualTo("INVALID_AMOUNT");
    assertThat(node.post(refunds, renter, "{\"amount_cents\":100}").status()).isEqualTo(403);
    assertThat(node.post(refunds, host, "{\"amount_cents\":-5}").status()).isEqualTo(400);
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(payment(id).get("refunded_cents").asLong()).isEqualTo(500));
  }

  @Test
  void aCancellationRefundsItsPolicyAmountButNoMoreThanIsLeft() {
    String id = paidBooking();
    assertThat(
            node.post(
                    "/v1/bookings/" + id + "/refunds",
                    host,
                    "{\"amount_cents\":500}",
                    "Idempotency-Key",
                    "r-1")
                .status())
        .isEqualTo(202);
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(payment(id).get("refunded_cents").asLong()).isEqualTo(500));

    // Three days ahead a renter gets the total less 5 %: 8,660 - 433 = 8,227 by policy. Only 8,660
    // -
    // 500 = 8,160 is left of the payment, so 8,160 is refunded and the refunds add up to 8,660.
    Reply cancelled = node.post("/v1/bookings/" + id + "/cancel", renter, null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("refund_cents").asLong()).isEqualTo(8_227);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              JsonNode p = payment(id);
              assertThat(p.get("refunded_cents").asLong()).isEqualTo(8_660);
              assertThat(p.get("refunds"))
                  .extracting(r -> r.get("amount_cents").asLong())
                  .containsExactlyInAnyOrder(500L, 8_160L);
            });
  }

  @Test
  void aPaymentThatArrivesAfterTheHoldEndedIsRefundedInFullAndChangesNothing() {
    String id = hold().get("booking_id").asText();
    assertThat(pay(id).body().get("amount_cents").asLong()).isEqualTo(TOTAL);
    assertThat(
            node.post("/v1/bookings/" + id + "/cancel", renter, null).body().get("status").asText())
        .isEqualTo("CANCELLED");
    settle(id, "succeeded");
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              JsonNode p = payment(id);
              assertThat(p.get("outcome").asText()).isEqualTo("REFUNDED_LATE");
              assertThat(p.get("refunded_cents").asLong()).isEqualTo(TOTAL);
            });
    assertThat(bookingStatus(id)).isEqualTo("CANCELLED");
  }

  @Test
  void aWeeksPayoutPaysTheBookingThatEndedInItOnceAndReadsAgainUnchanged() {
    // Monday 2027-05-03, 13:00Z: well after every other test's bookings (March 2027). The week
    // before, 2027-W17, is paid first, so that whatever those tests left to pay is paid there.
    node.clock().set(Instant.parse("2027-05-03T13:00:00Z"));
    awaitReadTablesCaughtUp();
    assertThat(node.get("/v1/admin/payouts?week=2027-W17", admin).status()).isEqualTo(200);

    // Wednesday 2027-05-05, 10:00 to 12:00 in New York (EDT, UTC-4): in 2027-W18 (May 3 to 10).
    JsonNode booking =
        hold(Instant.parse("2027-05-05T14:00:00Z"), Instant.parse("2027-05-05T16:00:00Z"));
    String id = booking.get("booking_id").asText();
    pay(id);
    settle(id, "succeeded");
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(bookingStatus(id)).isEqualTo("CONFIRMED"));
    // 2 h at 40.00: subtotal 8000; fee 15 % = 1200; host payout 8000 - 1200 = 6800;
    // tax 8.25 % = 660; total 8660. The host refunds a tenth of the total, 866, of which the host
    // bears 866 x 6800 / 8660 = 680 exactly.
    assertThat(
            node.post(
                    "/v1/bookings/" + id + "/refunds",
                    host,
                    "{\"amount_cents\":866}",
                    "Idempotency-Key",
                    "w18-1")
                .status())
        .isEqualTo(202);
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(payment(id).get("refunded_cents").asLong()).isEqualTo(866));
    awaitReadTablesCaughtUp();

    assertThat(node.get("/v1/admin/payouts?week=2027-W18", admin).code())
        .as("the week is not over")
        .isEqualTo("WEEK_NOT_OVER");
    // Monday 2027-05-10, 01:00Z: 2027-W18 ended an hour ago.
    node.clock().set(Instant.parse("2027-05-10T01:00:00Z"));
    Reply first = node.get("/v1/admin/payouts?week=2027-W18", admin);
    assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
    assertThat(first.header("Content-Type")).startsWith("text/csv");
    assertThat(first.header("X-Payout-Batch-Created")).isEqualTo("true");
    // One booking: gross 8000 (the subtotal, tax excluded), fees 1200, refunds 680 (the host's
    // share),
    // payout 8000 - 1200 - 680 = 6120. No contact claims in the host's token: name and e-mail
    // empty.
    assertThat(first.raw().body().split("\r?\n"))
        .containsExactly(
            "host_id,host_name,host_email,currency,bookings,gross_cents,fees_cents,refunds_cents,payout_cents",
            "host-1,,,USD,1,8000,1200,680,6120");

    Reply again = node.get("/v1/admin/payouts?week=2027-W18", admin);
    assertThat(again.raw().body()).isEqualTo(first.raw().body());
    assertThat(again.header("X-Payout-Batch-Created")).isEqualTo("false");
    assertThat(node.get("/v1/admin/payouts?week=2027-W19", admin).code())
        .as("the week is not over")
        .isEqualTo("WEEK_NOT_OVER");
    assertThat(node.get("/v1/admin/payouts?week=2027-W18", host).status()).isEqualTo(403);
    assertThat(node.get("/v1/admin/payouts?week=2026-53", admin).status()).isEqualTo(400);
    assertThat(node.get("/v1/admin/payouts?week=2999-W01", admin).status()).isEqualTo(422);
  }

  @Test
  void reconciliationFindsNothingWhenTheReadTablesAgreeWithTheGatewayAndFlagsWhatDiffers()
      throws Exception {
    JsonNode booking = hold();
    String id = booking.get("booking_id").asText();
    String intent = pay(id).body().get("intent_id").asText();
    settle(id, "succeeded");
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(bookingStatus(id)).isEqualTo("CONFIRMED"));
    assertThat(
            node.post(
                    "/v1/bookings/" + id + "/refunds",
                    host,
                    "{\"amount_cents\":300}",
                    "Idempotency-Key",
                    "rec-1")
                .status())
        .isEqualTo(202);
    Instant now = node.clock().instant();
    String period =
        "from=" + now.minus(Duration.ofHours(1)) + "&to=" + now.plus(Duration.ofMinutes(5));
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              Reply clean = node.get("/v1/admin/reconciliation?" + period, admin);
              assertThat(clean.status()).isEqualTo(200);
              assertThat(clean.header("X-Reconciliation-Mismatches"))
                  .as(clean.raw().body())
                  .isEqualTo("0");
            });

    try (var c = db.connect();
        var s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE payments SET paid_cents = paid_cents - 1 WHERE booking_id = '" + id + "'");
    }
    Reply differs = node.get("/v1/admin/reconciliation?" + period, admin);
    assertThat(differs.header("X-Reconciliation-Mismatches")).isEqualTo("1");
    assertThat(differs.raw().body()).contains("AMOUNT_DIFFERS").contains(intent);
    try (var c = db.connect();
        var s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE payments SET paid_cents = paid_cents + 1 WHERE booking_id = '" + id + "'");
    }
    assertThat(node.get("/v1/admin/reconciliation?" + period, renter).status()).isEqualTo(403);
  }

  @Test
  void aReconciliationCoversAtMost31Days() {
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    // 31 days exactly are allowed; one second more is not.
    Reply longest =
        node.get(
            "/v1/admin/reconciliation?from=" + from + "&to=" + from.plus(Duration.ofDays(31)),
            admin);
    assertThat(longest.status()).as(longest.raw().body()).isEqualTo(200);
    Reply tooLong =
        node.get(
            "/v1/admin/reconciliation?from="
                + from
                + "&to="
                + from.plus(Duration.ofDays(31)).plusSeconds(1),
            admin);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(tooLong.body().at("/errors/0/field").asText()).isEqualTo("to");
  }

  @Test
  void aNodeWithoutStripeRefusesWebhooks() {
    Reply r = node.post("/v1/webhooks/stripe", null, "{}", "Stripe-Signature", "t=1,v1=00");
    assertThat(r.status()).isEqualTo(404);
  }
}
