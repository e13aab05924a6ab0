package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.http.stripe.FakeStripe;
import com.hearth.http.stripe.FakeStripe.Faults;
import com.hearth.testing.TestDates;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node paying through stripe-java against a Stripe-compatible server on 127.0.0.1 that fails 30 %
 * of the calls (500s, 409s, dropped connections before and after applying), with every webhook
 * delivered three times in shuffled order: no booking gets two payment intents or two refunds of
 * one kind, and every booking ends in the state the gateway ends in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripePaymentsTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final String WEBHOOK_SECRET = "whsec_test_" + Long.toHexString(new Random().nextLong());
  static final Duration SETTLE = Duration.ofSeconds(40);

  FakeStripe stripe;
  TestDatabase db;
  TestNode node;
  String host;
  String renter;
  String kitchenId;

  @BeforeAll
  void start() throws Exception {
    stripe = new FakeStripe(42);
    db = TestDatabase.create(TestDatabase.Backend.POSTGRES);
    node =
        TestNode.start(
            db,
            Map.of(
                "hearth.payments.stripe.api-key",
                stripe.apiKey(),
                "hearth.payments.stripe.api-base",
                stripe.apiBase(),
                "hearth.payments.stripe.webhook-secret",
                WEBHOOK_SECRET,
                "hearth.http.ask-timeout",
                "15s"));
    host = node.token("host-1", "host");
    renter = node.token("renter-1", "renter");
    Reply k =
        node.post(
            "/v1/kitchens",
            host,
            "{\"name\":\"Stripe kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000,\"tax_bps\":825}");
    kitchenId = k.body().get("kitchen_id").asText();
    node.post("/v1/kitchens/" + kitchenId + "/publish", host, null);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
    if (stripe != null) stripe.close();
  }

  URI webhookUrl() {
    return URI.create("http://127.0.0.1:" + node.port() + "/v1/webhooks/stripe");
  }

  String hold(int day) {
    Instant start =
        TestDates.at(TestDates.today(node.clock(), NEW_YORK).plusDays(day), 9, 0, NEW_YORK);
    Reply r =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(2)) + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("booking_id").asText();
  }

  /** A client that retries its payment request, as a front end would, while the gateway fails. */
  JsonNode pay(String bookingId) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Reply r = node.post("/v1/bookings/" + bookingId + "/payment", renter, null);
      if (r.status() == 200) return r.body();
      assertThat(r.status()).as(r.body().toString()).isEqualTo(503);
    }
    throw new AssertionError("no payment intent after 20 attempts for " + bookingId);
  }

  String status(String bookingId) {
    return node.get("/v1/bookings/" + bookingId, renter).body().get("status").asText();
  }

  JsonNode payment(String bookingId) {
    return node.get("/v1/bookings/" + bookingId + "/payment", renter).body();
  }

  @Test
  void underFaultsAndReplayedWebhooksEveryBookingEndsAsTheGatewayDoes() throws Exception {
    stripe.setFaults(
        Faults.none()
            .serverErrors(0.1)
            .conflicts(0.05)
            .dropsBeforeApply(0.05)
            .dropsAfterApply(0.05)
            .serverErrorsAfterApply(0.05));
    List<String> paid = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> late = new ArrayList<>();
    List<String> cancelledAfterPaying = new ArrayList<>();
    Map<String, String> intents = new HashMap<>();
    for (int i = 0; i < 16; i++) {
      String booking = hold(3 + i);
      JsonNode p = pay(booking);
      assertThat(pay(booking).get("intent_id").asText())
          .as("a retried payment request")
          .isEqualTo(p.get("intent_id").asText());
      intents.put(booking, p.get("intent_id").asText());
      switch (i % 4) {
        case 0, 1 -> paid.add(booking);
        case 2 -> failed.add(booking);
        default -> late.add(booking);
      }
    }
    // Late payments: the hold is cancelled before the money arrives.
    for (String booking : late)
      assertThat(node.post("/v1/bookings/" + booking + "/cancel", renter, null).status())
          .isEqualTo(200);
    for (String booking : paid) stripe.succeed(intents.get(booking));
    for (String booking : late) stripe.succeed(intents.get(booking));
    for (String booking : failed) stripe.fail(intents.get(booking));

    List<Integer> statuses = stripe.deliverWebhooks(webhookUrl(), WEBHOOK_SECRET, 3, new Random(7));
    assertThat(statuses).as("every delivery acknowledged").containsOnly(200);

    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              for (String booking : paid)
                assertThat(status(booking)).as(booking).isEqualTo("CONFIRMED");
              for (String booking : late)
                assertThat(payment(booking).get("refunded_cents").asLong())
                    .as(booking)
                    .isEqualTo(payment(booking).get("paid_cents").asLong())
                    .isPositive();
            });
    for (String booking : failed) assertThat(status(booking)).isEqualTo("HELD");
    for (String booking : late) assertThat(status(booking)).isEqualTo("CANCELLED");

    // Two paid bookings are cancelled by the renter: the policy refund goes through the failing
    // gateway.
    for (String booking : paid.subList(0, 2)) {
      cancelledAfterPaying.add(booking);
      assertThat(node.post("/v1/bookings/" + booking + "/cancel", renter, null).status())
          .isEqualTo(200);
    }
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              for (String booking : cancelledAfterPaying)
                assertThat(payment(booking).get("refunds"))
                    .as(booking)
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("status").asText()).isEqualTo("SUCCEEDED"));
            });
    // Two other paid bookings get a partial refund from their host, each request sent twice under
    // one key.
    List<String> partlyRefunded = paid.subList(2, 4);
    for (String booking : partlyRefunded) {
      for (int i = 0; i < 2; i++)
        assertThat(
                node.post(
                        "/v1/bookings/" + booking + "/refunds",
                        host,
                        "{\"amount_cents\":700,\"reason\":\"late key\"}",
                        "Idempotency-Key",
                        "partial-" + booking)
                    .status())
            .isEqualTo(202);
    }
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> {
              for (String booking : partlyRefunded)
                assertThat(payment(booking).get("refunds"))
                    .as(booking)
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("status").asText()).isEqualTo("SUCCEEDED"));
            });
    stripe.deliverWebhooks(webhookUrl(), WEBHOOK_SECRET, 3, new Random(11));

    // What the gateway holds: one intent per booking, at most one refund per booking and kind.
    Map<String, Integer> intentsPerBooking = new HashMap<>();
    stripe
        .intents()
        .forEach(i -> intentsPerBooking.merge(i.metadata().get("booking_id"), 1, Integer::sum));
    assertThat(intentsPerBooking)
        .containsKeys(intents.keySet().toArray(String[]::new))
        .allSatisfy((booking, count) -> assertThat(count).as(booking).isEqualTo(1));
    Map<String, Integer> refundsPerKey = new HashMap<>();
    stripe.refunds().forEach(r -> refundsPerKey.merge(r.idempotencyKey(), 1, Integer::sum));
    assertThat(refundsPerKey).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
    assertThat(stripe.refunds().stream().filter(r -> intents.containsValue(r.paymentIntent())))
        .hasSize(late.size() + cancelledAfterPaying.size() + partlyRefunded.size());
    // The gateway's state and ours agree on every intent.
    for (var intent : stripe.intents()) {
      String booking = intent.metadata().get("booking_id");
      if (!intents.containsKey(booking)) continue;
      JsonNode p = payment(booking);
      assertThat(p.get("paid_cents").asLong()).as(booking).isEqualTo(intent.amountReceived());
      assertThat(p.get("refunded_cents").asLong()).as(booking).isEqualTo(intent.amountRefunded());
    }
    // And the node's tables agree with the gateway on every intent, refund and webhook.
    awaitProjections();
    for (var intent : stripe.intents()) {
      String booking = intent.metadata().get("booking_id");
      if (!intents.containsKey(booking)) continue;
      assertThat(
              rows(
                  "SELECT intent_id, paid_cents, refunded_cents FROM payments WHERE booking_id = ?",
                  booking))
          .as(booking)
          .containsExactly(
              List.of(
                  intent.id(),
                  String.valueOf(intent.amountReceived()),
                  String.valueOf(intent.amountRefunded())));
      String expected =
          paid.contains(booking) && !cancelledAfterPaying.contains(booking)
              ? "CONFIRMED"
              : failed.contains(booking) ? "HELD" : "CANCELLED";
      assertThat(strings("SELECT status FROM bookings WHERE booking_id = ?", booking))
          .as(booking)
          .containsExactly(expected);
    }
    for (var refund : stripe.refunds()) {
      if (!intents.containsValue(refund.paymentIntent())) continue;
      assertThat(
              rows(
                  "SELECT refund_key, amount_cents, status FROM refunds WHERE gateway_refund_id = ?",
                  refund.id()))
          .as(refund.id())
          .containsExactly(
              List.of(
                  refund.metadata().get("refund_key"),
                  String.valueOf(refund.amount()),
                  "SUCCEEDED"));
    }
    for (FakeStripe.Event e : stripe.events()) {
      boolean ours = intents.values().stream().anyMatch(e.json()::contains);
      if (ours && com.hearth.engine.payment.GatewayEvent.RECORDED.contains(e.type()))
        assertThat(recordedTimes(e.id())).as(e.type() + " " + e.id()).isEqualTo(1);
    }
  }

  @Test
  void forgedMissingAndStaleSignaturesAreRefusedAndChangeNothing() throws Exception {
    stripe.setFaults(Faults.none());
    String booking = hold(40);
    String intent = pay(booking).get("intent_id").asText();
    stripe.succeed(intent);
    FakeStripe.Event succeeded =
        stripe.events().stream()
            .filter(e -> e.type().equals("payment_intent.succeeded") && e.json().contains(intent))
            .findFirst()
            .orElseThrow();
    String url = "/v1/webhooks/stripe";
    assertThat(
            node.post(
                    url,
                    null,
                    succeeded.json(),
                    "Stripe-Signature",
                    FakeStripe.sign(succeeded.json(), "whsec_wrong"))
                .status())
        .isEqualTo(400);
    assertThat(node.post(url, null, succeeded.json()).status()).isEqualTo(400);
    // Signed more than 300 s ago or ahead: refused. (302 ahead, not 301: the node's clock reads a
    // moment after the test's, which can take a second off; the exact edges are
    // StripeWebhooksTest's.)
    for (long offset : List.of(-301L, -3_600L, 302L, 600L)) {
      Reply refused =
          node.post(
              url, null, succeeded.json(), "Stripe-Signature", signedAt(succeeded.json(), offset));
      assertThat(refused.status()).as("signed %d s from now", offset).isEqualTo(400);
      assertThat(refused.code()).isEqualTo("INVALID_SIGNATURE");
    }
    assertThat(status(booking)).isEqualTo("HELD");
    assertThat(payment(booking).get("paid_cents").asLong()).isZero();
    assertThat(paymentEvents(booking)).as("nothing recorded").doesNotContain("PaymentSucceeded");

    Reply genuine =
        node.post(
            url, null, succeeded.json(), "Stripe-Signature", signedAt(succeeded.json(), -299));
    assertThat(genuine.status()).isEqualTo(200);
    assertThat(genuine.body().get("duplicate").asBoolean()).isFalse();
    Reply early =
        node.post(url, null, succeeded.json(), "Stripe-Signature", signedAt(succeeded.json(), 299));
    assertThat(early.status()).as("299 s ahead is within the tolerance").isEqualTo(200);
    assertThat(early.body().get("duplicate").asBoolean()).isTrue();
    await().atMost(SETTLE).untilAsserted(() -> assertThat(status(booking)).isEqualTo("CONFIRMED"));

    // A dispute names no booking (Stripe copies no metadata onto it): its intent leads to the
    // booking.
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(
                        node.get("/health/projections", node.token("op-1", "operator"))
                            .body()
                            .at("/freshness/pending_events")
                            .asLong())
                    .isZero());
    String dispute = stripe.disputeCreated(intent);
    FakeStripe.Event disputed =
        stripe.events().stream()
            .filter(e -> e.type().equals("charge.dispute.created") && e.json().contains(dispute))
            .findFirst()
            .orElseThrow();
    assertThat(
            node.post(
                    url,
                    null,
                    disputed.json(),
                    "Stripe-Signature",
                    FakeStripe.sign(disputed.json(), WEBHOOK_SECRET))
                .status())
        .isEqualTo(200);
    assertThat(payment(booking).get("disputed").asBoolean()).isTrue();
  }

  @Test
  void aWebhookDeliveredTwiceIsAnsweredAsADuplicateAndRecordedOnce() throws Exception {
    stripe.setFaults(Faults.none());
    String booking = hold(42);
    String intent = pay(booking).get("intent_id").asText();
    stripe.succeed(intent);
    FakeStripe.Event succeeded =
        stripe.events().stream()
            .filter(e -> e.type().equals("payment_intent.succeeded") && e.json().contains(intent))
            .findFirst()
            .orElseThrow();
    String url = "/v1/webhooks/stripe";

    Reply first =
        node.post(
            url,
            null,
            succeeded.json(),
            "Stripe-Signature",
            FakeStripe.sign(succeeded.json(), WEBHOOK_SECRET));
    Reply second =
        node.post(
            url,
            null,
            succeeded.json(),
            "Stripe-Signature",
            FakeStripe.sign(succeeded.json(), WEBHOOK_SECRET));

    assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
    assertThat(first.body().get("event_id").asText()).isEqualTo(succeeded.id());
    assertThat(first.body().get("duplicate").asBoolean()).isFalse();
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().get("event_id").asText()).isEqualTo(succeeded.id());
    assertThat(second.body().get("duplicate").asBoolean()).isTrue();
    await().atMost(SETTLE).untilAsserted(() -> assertThat(status(booking)).isEqualTo("CONFIRMED"));
    // 2 h x 4,000 = 8,000 plus 8.25 % tax (660) was paid once, not twice.
    assertThat(payment(booking).get("paid_cents").asLong()).isEqualTo(8_660);
    assertThat(paymentEvents(booking).stream().filter("PaymentSucceeded"::equals)).hasSize(1);
    awaitProjections();
    assertThat(recordedTimes(succeeded.id())).isEqualTo(1);
  }

  @Test
  void theOfflineSimulatorIsNotServedWhenStripeIsConfigured() {
    String booking = hold(43);
    Reply r =
        node.post(
            "/v1/bookings/" + booking + "/payment/simulate", renter, "{\"outcome\":\"succeeded\"}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("NOT_FOUND");
    assertThat(r.body().get("detail").asText()).contains("Stripe");
    assertThat(status(booking)).isEqualTo("HELD");
  }

  /** A Stripe-Signature for {@code payload} with a timestamp {@code offsetSeconds} from now. */
  static String signedAt(String payload, long offsetSeconds) throws Exception {
    long t = Instant.now().getEpochSecond() + offsetSeconds;
    return "t=" + t + ",v1=" + hmac(t + "." + payload);
  }

  /**
   * The types of the events in the payment's journal, in order: what the node persisted for the
   * booking.
   */
  List<String> paymentEvents(String bookingId) throws Exception {
    return strings(
            "SELECT event_ser_manifest FROM event_journal WHERE persistence_id = ? ORDER BY sequence_number",
            "Payment|" + bookingId)
        .stream()
        .map(m -> m.substring(m.lastIndexOf('$') + 1))
        .toList();
  }

  List<String> strings(String sql, Object... args) throws Exception {
    return rows(sql, args).stream().map(r -> r.get(0)).toList();
  }

  /** The rows of a query on the node's own database, each column as text. */
  List<List<String>> rows(String sql, Object... args) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (java.sql.Connection c = db.connect();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) row.add(rs.getString(i));
          out.add(row);
        }
      }
    }
    return out;
  }

  /**
   * How many journal events of the node's payments carry this gateway event id (as projected into
   * payment_events).
   */
  long recordedTimes(String eventId) throws Exception {
    return Long.parseLong(
        strings(
                "SELECT COUNT(*) FROM payment_events WHERE CAST(data AS TEXT) LIKE ?",
                "%\"" + eventId + "\"%")
            .get(0));
  }

  void awaitProjections() {
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(
                        node.get("/health/projections", node.token("op-1", "operator"))
                            .body()
                            .at("/freshness/pending_events")
                            .asLong())
                    .isZero());
  }

  List<FakeStripe.Event> eventsSince(int mark) {
    List<FakeStripe.Event> all = stripe.events();
    return all.subList(mark, all.size());
  }

  @Test
  void aRefundThatFailsAfterTheFactIsRecordedOnceCountedAsNotPaidBackAndListedForOperators()
      throws Exception {
    stripe.setFaults(Faults.none());
    String admin = node.token("admin-1", "admin");
    String booking = hold(60);
    String intent = pay(booking).get("intent_id").asText();
    stripe.succeed(intent);
    assertThat(
            FakeStripe.deliver(
                webhookUrl(),
                WEBHOOK_SECRET,
                stripe.events().stream().filter(e -> e.json().contains(intent)).toList(),
                1,
                new Random(1)))
        .containsOnly(200);
    await().atMost(SETTLE).untilAsserted(() -> assertThat(status(booking)).isEqualTo("CONFIRMED"));
    assertThat(
            node.post(
                    "/v1/bookings/" + booking + "/refunds",
                    host,
                    "{\"amount_cents\":1000,\"reason\":\"goodwill\"}",
                    "Idempotency-Key",
                    "bounce-1")
                .status())
        .isEqualTo(202);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(payment(booking).at("/refunds/0/status").asText())
                    .isEqualTo("SUCCEEDED"));
    String refundId = payment(booking).at("/refunds/0/refund_id").asText();
    awaitProjections(); // the dispute's booking is found through the payments read table

    // The renter's card was closed: Stripe reports the refund failed. Then a dispute runs its
    // course.
    int mark = stripe.events().size();
    stripe.failRefund(refundId);
    String dispute = stripe.disputeCreated(intent);
    stripe.disputeChanged(dispute, "charge.dispute.funds_withdrawn", "needs_response");
    stripe.disputeChanged(dispute, "charge.dispute.updated", "under_review");
    stripe.disputeChanged(dispute, "charge.dispute.closed", "lost");
    List<FakeStripe.Event> later = eventsSince(mark);
    assertThat(later)
        .extracting(FakeStripe.Event::type)
        .containsExactly(
            "refund.updated",
            "refund.failed",
            "charge.dispute.created",
            "charge.dispute.funds_withdrawn",
            "charge.dispute.updated",
            "charge.dispute.closed");

    assertThat(FakeStripe.deliver(webhookUrl(), WEBHOOK_SECRET, later, 3, new Random(5)))
        .hasSize(18)
        .containsOnly(200);

    // The node's own state: one RefundFailed, each event recorded once, nothing retried at Stripe.
    assertThat(paymentEvents(booking).stream().filter(t -> t.equals("RefundFailed"))).hasSize(1);
    JsonNode p = payment(booking);
    assertThat(p.get("refunded_cents").asLong()).isZero();
    assertThat(p.at("/refunds/0/status").asText()).isEqualTo("FAILED");
    assertThat(p.get("disputed").asBoolean()).isTrue();
    assertThat(stripe.refunds())
        .filteredOn(r -> r.paymentIntent().equals(intent))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("failed"));
    // Its read tables: the refund FAILED and no longer in refunded_cents nor in the host's share.
    awaitProjections();
    assertThat(
            rows(
                "SELECT status, gateway_refund_id, host_share_cents, failure_reason IS NOT NULL FROM refunds"
                    + " WHERE booking_id = ?",
                booking))
        .containsExactly(List.of("FAILED", refundId, "0", "t"));
    assertThat(
            strings(
                "SELECT refunded_cents FROM payments WHERE booking_id = ? AND disputed", booking))
        .containsExactly("0");
    for (FakeStripe.Event e : later)
      assertThat(recordedTimes(e.id())).as(e.type() + " " + e.id()).isEqualTo(1);

    // Surfaced to operators: the admin's reconciliation lists it (and the CLI exits 3 on it).
    Instant now = node.clock().instant();
    String period =
        "from=" + now.minus(Duration.ofHours(1)) + "&to=" + now.plus(Duration.ofMinutes(5));
    Reply reconciled = node.get("/v1/admin/reconciliation?" + period, admin);
    assertThat(reconciled.status()).isEqualTo(200);
    assertThat(reconciled.raw().body())
        .contains("\r\nREFUND_FAILED,refund," + refundId + "," + booking + ",,1000,,FAILED,");

    // An operator refunds again under a new key: the money that came back goes out once more.
    assertThat(
            node.post(
                    "/v1/bookings/" + booking + "/refunds",
                    admin,
                    "{\"amount_cents\":1000,\"reason\":\"retry\"}",
                    "Idempotency-Key",
                    "bounce-1-retry")
                .status())
        .isEqualTo(202);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> assertThat(payment(booking).get("refunded_cents").asLong()).isEqualTo(1000));
  }

  @Test
  void aCanceledIntentFailsThePaymentOnceAndTypesNotRecordedAreAcknowledgedAndIgnored()
      throws Exception {
    stripe.setFaults(Faults.none());
    String booking = hold(61);
    String intent = pay(booking).get("intent_id").asText();
    int mark = stripe.events().size();
    stripe.cancel(intent);
    FakeStripe.Event canceled = eventsSince(mark).get(0);
    assertThat(canceled.type()).isEqualTo("payment_intent.canceled");

    assertThat(
            FakeStripe.deliver(webhookUrl(), WEBHOOK_SECRET, List.of(canceled), 3, new Random(2)))
        .containsOnly(200);

    assertThat(payment(booking).get("status").asText()).isEqualTo("FAILED");
    assertThat(paymentEvents(booking))
        .containsExactly("IntentRequested", "IntentCreated", "PaymentFailed");

    FakeStripe.Event created =
        stripe.events().stream()
            .filter(e -> e.type().equals("payment_intent.created") && e.json().contains(intent))
            .findFirst()
            .orElseThrow();
    Reply ignored =
        node.post(
            "/v1/webhooks/stripe",
            null,
            created.json(),
            "Stripe-Signature",
            FakeStripe.sign(created.json(), WEBHOOK_SECRET));
    assertThat(ignored.status()).isEqualTo(200);
    assertThat(ignored.body().get("ignored").asBoolean()).isTrue();
    assertThat(paymentEvents(booking)).as("nothing recorded").hasSize(3);
  }

  static String hmac(String signed) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            WEBHOOK_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    return java.util.HexFormat.of()
        .formatHex(mac.doFinal(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
