package com.hearth.http.stripe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hearth.engine.payment.GatewayEvent;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.http.stripe.StripeWebhooks.InvalidWebhook;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhook verification and reading, on events {@link FakeStripe} records as Stripe would send them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StripeWebhooksTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String SECRET =
      "whsec_test_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

  private static FakeStripe fake;
  private static ExecutorService stripeThreads;
  private static Intent paid;
  private static Intent declined;
  private static String disputeId;
  private static Intent canceled;
  private static String bouncedRefund;

  private final StripeWebhooks webhooks =
      new StripeWebhooks(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeAll
  static void makeEvents() throws Exception {
    fake = new FakeStripe(99);
    stripeThreads = Executors.newFixedThreadPool(2);
    StripeGateway gateway = new StripeGateway(fake.apiKey(), fake.apiBase(), stripeThreads);
    paid =
        gateway
            .createIntent("b-1:intent", 10_000, "usd", Map.of("booking_id", "b-1"))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    declined =
        gateway
            .createIntent("b-2:intent", 4_000, "usd", Map.of("booking_id", "b-2"))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    fake.fail(declined.id());
    fake.succeed(paid.id());
    bouncedRefund =
        gateway
            .createRefund(
                "b-1:refund:1",
                paid.id(),
                2_500,
                Map.of("booking_id", "b-1", "refund_key", "b-1:refund:1"))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .id();
    gateway
        .createRefund("b-1:refund:2", paid.id(), 1_000, Map.of())
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    disputeId = fake.disputeCreated(paid.id());
    fake.failRefund(bouncedRefund);
    fake.disputeChanged(disputeId, "charge.dispute.funds_withdrawn", "needs_response");
    fake.disputeChanged(disputeId, "charge.dispute.updated", "under_review");
    fake.disputeChanged(disputeId, "charge.dispute.closed", "lost");
    canceled =
        gateway
            .createIntent("b-3:intent", 3_000, "usd", Map.of("booking_id", "b-3"))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    fake.cancel(canceled.id());
  }

  @AfterAll
  static void stop() {
    fake.close();
    stripeThreads.shutdownNow();
  }

  @Test
  void readsACorrectlySignedPaymentSucceeded() {
    FakeStripe.Event sent = only("payment_intent.succeeded");

    GatewayEvent event = webhooks.verify(sent.json(), signedAt(sent.json(), SECRET, NOW));

    assertThat(event.eventId()).isEqualTo(sent.id()).startsWith("evt_");
    assertThat(event.type()).isEqualTo(GatewayEvent.PAYMENT_SUCCEEDED);
    assertThat(event.created()).isEqualTo(createdOf(sent));
    assertThat(event.intentId()).isEqualTo(paid.id());
    assertThat(event.refundOrChargeId()).startsWith("ch_");
    assertThat(event.amountCents()).isEqualTo(10_000);
    assertThat(event.currency()).isEqualTo("USD");
    assertThat(event.metadata()).containsExactly(Map.entry("booking_id", "b-1"));
    assertThat(event.bookingId()).isEqualTo("b-1");
  }

  @Test
  void readsAFailedPayment() {
    FakeStripe.Event sent = only("payment_intent.payment_failed");

    GatewayEvent event = webhooks.verify(sent.json(), signedAt(sent.json(), SECRET, NOW));

    assertThat(event.type()).isEqualTo(GatewayEvent.PAYMENT_FAILED);
    assertThat(event.intentId()).isEqualTo(declined.id());
    assertThat(event.amountCents()).isEqualTo(4_000);
    assertThat(event.bookingId()).isEqualTo("b-2");
  }

  @Test
  void readsRefundsAsTheChargeTotalRefundedSoFar() {
    List<GatewayEvent> refunded =
        fake.events().stream()
            .filter(e -> e.type().equals("charge.refunded"))
            .map(e -> webhooks.verify(e.json(), signedAt(e.json(), SECRET, NOW)))
            .toList();

    assertThat(refunded).extracting(GatewayEvent::amountCents).containsExactly(2_500L, 3_500L);
    assertThat(refunded)
        .allSatisfy(
            e -> {
              assertThat(e.intentId()).isEqualTo(paid.id());
              assertThat(e.refundOrChargeId()).startsWith("ch_");
              assertThat(e.currency()).isEqualTo("USD");
              assertThat(e.bookingId()).isEqualTo("b-1");
            });
  }

  @Test
  void readsADispute() {
    FakeStripe.Event sent = only("charge.dispute.created");
    GatewayEvent succeeded =
        webhooks.verify(
            only("payment_intent.succeeded").json(),
            signedAt(only("payment_intent.succeeded").json(), SECRET, NOW));

    GatewayEvent event = webhooks.verify(sent.json(), signedAt(sent.json(), SECRET, NOW));

    assertThat(event.type()).isEqualTo(GatewayEvent.DISPUTE_CREATED);
    assertThat(event.intentId()).isEqualTo(paid.id());
    assertThat(event.refundOrChargeId()).isEqualTo(succeeded.refundOrChargeId());
    assertThat(event.amountCents()).isEqualTo(10_000);
    assertThat(sent.json()).contains(disputeId);
  }

  @Test
  void readsARefundThatFailedAfterTheFactWithItsMetadataAndStatus() {
    for (String type : List.of(GatewayEvent.REFUND_FAILED, GatewayEvent.REFUND_UPDATED)) {
      FakeStripe.Event sent = only(type);

      GatewayEvent event = webhooks.verify(sent.json(), signedAt(sent.json(), SECRET, NOW));

      assertThat(event.type()).isEqualTo(type);
      assertThat(event.refundOrChargeId()).isEqualTo(bouncedRefund);
      assertThat(event.intentId()).isEqualTo(paid.id());
      assertThat(event.amountCents()).isEqualTo(2_500);
      assertThat(event.status()).isEqualTo("failed");
      assertThat(event.metadata())
          .containsEntry("booking_id", "b-1")
          .containsEntry("refund_key", "b-1:refund:1");
      assertThat(event.refundFailed()).isTrue();
    }
  }

  @Test
  void readsACanceledIntentAndEveryStepOfADispute() {
    GatewayEvent cancel =
        webhooks.verify(
            only("payment_intent.canceled").json(),
            signedAt(only("payment_intent.canceled").json(), SECRET, NOW));
    assertThat(cancel.intentId()).isEqualTo(canceled.id());
    assertThat(cancel.bookingId()).isEqualTo("b-3");
    assertThat(cancel.status()).isEqualTo("canceled");

    for (String type :
        List.of(
            GatewayEvent.DISPUTE_FUNDS_WITHDRAWN,
            GatewayEvent.DISPUTE_UPDATED,
            GatewayEvent.DISPUTE_CLOSED)) {
      GatewayEvent event =
          webhooks.verify(only(type).json(), signedAt(only(type).json(), SECRET, NOW));
      assertThat(event.type()).isEqualTo(type);
      assertThat(event.intentId()).as(type).isEqualTo(paid.id());
      assertThat(event.amountCents()).isEqualTo(10_000);
    }
    assertThat(
            webhooks
                .verify(
                    only("charge.dispute.closed").json(),
                    signedAt(only("charge.dispute.closed").json(), SECRET, NOW))
                .status())
        .isEqualTo("lost");
  }

  @Test
  void readsOtherTypesAsTypeAndIdOnly() {
    FakeStripe.Event sent =
        fake.events().stream()
            .filter(e -> e.type().equals("payment_intent.created"))
            .findFirst()
            .orElseThrow();

    GatewayEvent event = webhooks.verify(sent.json(), signedAt(sent.json(), SECRET, NOW));

    assertThat(event)
        .isEqualTo(
            new GatewayEvent(
                sent.id(),
                "payment_intent.created",
                createdOf(sent),
                null,
                null,
                0,
                null,
                Map.of()));
  }

  @Test
  void refusesATamperedPayload() {
    String payload = only("payment_intent.succeeded").json();
    String header = signedAt(payload, SECRET, NOW);

    assertThatThrownBy(() -> webhooks.verify(payload.replace("10000", "99999"), header))
        .isInstanceOf(InvalidWebhook.class)
        .hasMessageContaining("No signatures found matching");
  }

  @Test
  void refusesAMissingHeader() {
    String payload = only("payment_intent.succeeded").json();

    assertThatThrownBy(() -> webhooks.verify(payload, null))
        .isInstanceOf(InvalidWebhook.class)
        .hasMessageContaining("missing Stripe-Signature");
    assertThatThrownBy(() -> webhooks.verify(payload, " "))
        .isInstanceOf(InvalidWebhook.class)
        .hasMessageContaining("missing Stripe-Signature");
  }

  @Test
  void refusesAnotherSecret() {
    String payload = only("payment_intent.succeeded").json();

    assertThatThrownBy(
            () -> webhooks.verify(payload, signedAt(payload, "whsec_test_someone_else", NOW)))
        .isInstanceOf(InvalidWebhook.class)
        .hasMessageContaining("No signatures found matching");
  }

  @Test
  void refusesMalformedHeaders() {
    String payload = only("payment_intent.succeeded").json();

    for (String header :
        List.of(
            "garbage",
            "t=,v1=",
            "t=abc,v1=deadbeef",
            "v1=" + "0".repeat(64),
            "t=" + NOW.getEpochSecond()))
      assertThatThrownBy(() -> webhooks.verify(payload, header))
          .as(header)
          .isInstanceOf(InvalidWebhook.class);
  }

  @Test
  void refusesASignatureOlderThanFiveMinutesAndAcceptsOneJustYounger() {
    String payload = only("payment_intent.succeeded").json();

    assertThatThrownBy(
            () -> webhooks.verify(payload, signedAt(payload, SECRET, NOW.minusSeconds(301))))
        .isInstanceOf(InvalidWebhook.class)
        .hasMessageContaining("tolerance");
    assertThat(webhooks.verify(payload, signedAt(payload, SECRET, NOW.minusSeconds(300))).type())
        .isEqualTo(GatewayEvent.PAYMENT_SUCCEEDED);
    assertThat(webhooks.verify(payload, signedAt(payload, SECRET, NOW.minusSeconds(299))).type())
        .isEqualTo(GatewayEvent.PAYMENT_SUCCEEDED);
  }

  @Test
  void refusesASignatureMoreThanFiveMinutesAheadAndAcceptsOneJustLess() {
    String payload = only("payment_intent.succeeded").json();

    for (long ahead : List.of(301L, 600L, 86_400L))
      assertThatThrownBy(
              () -> webhooks.verify(payload, signedAt(payload, SECRET, NOW.plusSeconds(ahead))))
          .as("%d s ahead", ahead)
          .isInstanceOf(InvalidWebhook.class)
          .hasMessageContaining("tolerance")
          .hasMessageContaining("future");
    assertThat(webhooks.verify(payload, signedAt(payload, SECRET, NOW.plusSeconds(300))).type())
        .isEqualTo(GatewayEvent.PAYMENT_SUCCEEDED);
    assertThat(webhooks.verify(payload, signedAt(payload, SECRET, NOW.plusSeconds(299))).type())
        .isEqualTo(GatewayEvent.PAYMENT_SUCCEEDED);
  }

  @Test
  void aSignatureAheadIsCheckedBeforeItsTimestampIsTrusted() {
    String payload = only("payment_intent.succeeded").json();
    long ahead = NOW.plusSeconds(600).getEpochSecond();

    // A forged signature is refused as forged, not as early: the timestamp means nothing until it
    // is signed.
    assertThatThrownBy(() -> webhooks.verify(payload, "t=" + ahead + ",v1=" + "0".repeat(64)))
        .isInstanceOf(InvalidWebhook.class)
        .hasMessageContaining("No signatures found matching");
  }

  @Test
  void refusesASignedBodyThatIsNotAnEvent() {
    for (String payload :
        List.of(
            "not json",
            "[1,2]",
            "{\"object\":\"payment_intent\",\"id\":\"pi_1\"}",
            "{\"object\":\"event\",\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\",\"created\":1}",
            // A fractional creation time is refused, not truncated.
            "{\"object\":\"event\",\"id\":\"evt_1\",\"type\":\"payment_intent.created\",\"created\":1.5,"
                + "\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\"}}}"))
      assertThatThrownBy(() -> webhooks.verify(payload, signedAt(payload, SECRET, NOW)))
          .as(payload)
          .isInstanceOf(InvalidWebhook.class);
    String whole =
        "{\"object\":\"event\",\"id\":\"evt_1\",\"type\":\"payment_intent.created\",\"created\":1,"
            + "\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\"}}}";
    assertThat(webhooks.verify(whole, signedAt(whole, SECRET, NOW)).eventId())
        .as("the same with a whole number")
        .isEqualTo("evt_1");
  }

  @Test
  void anEndpointReceivesEveryEventThoughDeliveredThriceAndShuffled() throws Exception {
    StripeWebhooks live = new StripeWebhooks(SECRET);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    HttpServer endpoint =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext(
        "/webhooks/stripe",
        exchange -> {
          int status;
          try {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            GatewayEvent event =
                live.verify(body, exchange.getRequestHeaders().getFirst("Stripe-Signature"));
            if (!seen.add(event.eventId())) duplicates.incrementAndGet();
            status = 200;
          } catch (InvalidWebhook e) {
            status = 400;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    endpoint.start();
    try {
      URI uri =
          URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/webhooks/stripe");
      int events = fake.events().size();

      List<Integer> statuses = fake.deliverWebhooks(uri, SECRET, 3, new Random(7));

      assertThat(statuses).hasSize(3 * events).containsOnly(200);
      assertThat(seen)
          .containsExactlyInAnyOrderElementsOf(
              fake.events().stream().map(FakeStripe.Event::id).toList());
      assertThat(duplicates).hasValue(2 * events);
      assertThat(fake.deliverWebhooks(uri, "whsec_test_wrong", 1, new Random(7)))
          .hasSize(events)
          .containsOnly(400);
    } finally {
      endpoint.stop(0);
    }
  }

  /** The event's {@code created}, read from the JSON Stripe sent, not by the code under test. */
  private static Instant createdOf(FakeStripe.Event sent) {
    try {
      long seconds =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(sent.json())
              .get("created")
              .asLong();
      assertThat(seconds).as("created is set").isPositive();
      return Instant.ofEpochSecond(seconds);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FakeStripe.Event only(String type) {
    List<FakeStripe.Event> matching =
        fake.events().stream().filter(e -> e.type().equals(type)).toList();
    assertThat(matching).as(type).hasSize(1);
    return matching.get(0);
  }

  private static String signedAt(String payload, String secret, Instant at) {
    try {
      return Webhook.Signature.generateSignatureHeader(payload, secret, at.getEpochSecond());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
