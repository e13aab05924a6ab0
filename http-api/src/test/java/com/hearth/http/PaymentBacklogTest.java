package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.http.TestNode.Reply;
import com.hearth.http.stripe.FakeStripe;
import com.hearth.http.stripe.FakeStripe.Faults;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operators' payment backlog in GET /v1/admin/cluster (and the management endpoint's
 * /hearth/cluster): a payment whose intent the gateway will not create, a refund the gateway has
 * not answered, and a refund the gateway reported failed each show up, with their age, and leave
 * the backlog when they are done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentBacklogTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final String WEBHOOK_SECRET =
      "whsec_test_" + Long.toHexString(new Random().nextLong());
  private static final Duration SETTLE = Duration.ofSeconds(40);

  private FakeStripe stripe;
  private TestDatabase db;
  private TestNode node;
  private String host;
  private String renter;
  private String operator;
  private String kitchenId;

  @BeforeAll
  void start() throws Exception {
    stripe = new FakeStripe(7);
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
                "3s"));
    host = node.token("host-1", "host");
    renter = node.token("renter-1", "renter");
    operator = node.token("operator-1", "operator");
    kitchenId =
        node.publishedKitchen(
            host,
            "{\"name\":\"Backlog kitchen\",\"time_zone\":\"America/New_York\",\"hourly_rate_cents\":4000}");
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) node.close();
    if (db != null) db.close();
    if (stripe != null) stripe.close();
  }

  @Test
  void waitingPaymentsAndRefundsAndFailedRefundsAreCountedWithTheirAgeUntilTheyAreDone()
      throws Exception {
    assertThat(node.get("/v1/admin/cluster", renter).status()).isEqualTo(403);
    JsonNode empty = backlog();
    for (String queue :
        new String[] {
          "awaiting_intent",
          "awaiting_confirmation",
          "refunds_pending",
          "refunds_failed",
          "refunds_rejected"
        }) {
      assertThat(empty.at("/" + queue + "/count").asLong()).as(queue).isZero();
      assertThat(empty.get(queue).has("oldest")).as(queue).isFalse();
    }
    assertThat(empty.has("consistent_as_of")).isTrue();

    // The gateway answers every call with a 500: the payment waits for its intent, retrying.
    stripe.setFaults(Faults.none().serverErrors(1.0));
    String booking = hold(4);
    Instant asked = Instant.now();
    assertThat(node.post("/v1/bookings/" + booking + "/payment", renter, null).status())
        .isEqualTo(503);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> assertThat(backlog().at("/awaiting_intent/count").asLong()).isEqualTo(1));
    JsonNode waiting = backlog().get("awaiting_intent");
    assertThat(Instant.parse(waiting.get("oldest").asText()))
        .isBetween(asked.minusSeconds(1), Instant.now());
    assertThat(waiting.get("oldest_age_seconds").asLong())
        .isBetween(0L, Duration.between(asked, Instant.now()).toSeconds() + 1);
    // Also on the management endpoint, which ./hearth cluster status prints.
    assertThat(management().at("/payment_backlog/awaiting_intent/count").asLong()).isEqualTo(1);

    // The gateway answers again. A 503 tells the renter to retry: the payment stays in the backlog
    // until a retry gets its intent (the gateway's own retries may or may not have outlasted the
    // faults).
    stripe.setFaults(Faults.none());
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () ->
                assertThat(node.post("/v1/bookings/" + booking + "/payment", renter, null).status())
                    .isEqualTo(200));
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(backlog().at("/awaiting_intent/count").asLong()).isZero());
    String intent = payment(booking).get("intent_id").asText();
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

    // The gateway holds the refund call: the refund is pending until it answers.
    Runnable release = stripe.holdRequests();
    try {
      assertThat(
              node.post(
                      "/v1/bookings/" + booking + "/refunds",
                      host,
                      "{\"amount_cents\":1000}",
                      "Idempotency-Key",
                      "backlog-1")
                  .status())
          .isEqualTo(202);
      await()
          .atMost(SETTLE)
          .untilAsserted(
              () -> assertThat(backlog().at("/refunds_pending/count").asLong()).isEqualTo(1));
    } finally {
      release.run();
    }
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(backlog().at("/refunds_pending/count").asLong()).isZero());
    assertThat(backlog().at("/refunds_failed/count").asLong()).isZero();

    // The renter's card was closed: Stripe reports the refund failed after it was made.
    await().atMost(SETTLE).until(() -> payment(booking).at("/refunds/0/refund_id").isTextual());
    int mark = stripe.events().size();
    stripe.failRefund(payment(booking).at("/refunds/0/refund_id").asText());
    var later = stripe.events().subList(mark, stripe.events().size());
    assertThat(FakeStripe.deliver(webhookUrl(), WEBHOOK_SECRET, later, 1, new Random(2)))
        .containsOnly(200);
    await()
        .atMost(SETTLE)
        .untilAsserted(
            () -> assertThat(backlog().at("/refunds_failed/count").asLong()).isEqualTo(1));
    JsonNode done = backlog();
    assertThat(done.at("/refunds_failed/newest").isTextual()).isTrue();
    assertThat(done.at("/awaiting_intent/count").asLong()).isZero();
    assertThat(done.at("/awaiting_confirmation/count").asLong()).isZero();
    assertThat(done.at("/refunds_pending/count").asLong()).isZero();
  }

  private JsonNode backlog() {
    Reply r = node.get("/v1/admin/cluster", operator);
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    JsonNode b = r.body().get("payment_backlog");
    assertThat(b.has("error")).as(b.toString()).isFalse();
    return b;
  }

  private JsonNode management() {
    Reply r =
        node.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.managementPort() + "/hearth/cluster"))
                .timeout(Duration.ofSeconds(10))
                .GET());
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  private String hold(int day) {
    Instant start = LocalDate.now(NEW_YORK).plusDays(day).atTime(9, 0).atZone(NEW_YORK).toInstant();
    Reply r =
        node.post(
            "/v1/kitchens/" + kitchenId + "/bookings",
            renter,
            "{\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(2)) + "\"}");
    assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
    return r.body().get("booking_id").asText();
  }

  private JsonNode payment(String bookingId) {
    return node.get("/v1/bookings/" + bookingId + "/payment", renter).body();
  }

  private String status(String bookingId) {
    return node.get("/v1/bookings/" + bookingId, renter).body().get("status").asText();
  }

  private URI webhookUrl() {
    return URI.create("http://127.0.0.1:" + node.port() + "/v1/webhooks/stripe");
  }
}
