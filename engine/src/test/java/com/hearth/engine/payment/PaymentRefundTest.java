package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.payment.PaymentEntity.Command;
import com.hearth.engine.payment.PaymentEntity.PaymentAccepted;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RefundLine;
import com.hearth.engine.payment.PaymentGateway.Refund;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * Refunds: who may refund, how much, made once, retried or not as the gateway answers. The fixture
 * is {@link PaymentEntityFixture}'s.
 */
class PaymentRefundTest extends PaymentEntityFixture {

  @Test
  void aRefundBeforeAnyPaymentIsInvalidState() {
    ActorRef<Command> payment = spawn();

    assertThat(rejection(refund(payment, HOST, "r1", 100, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_STATE);
    start(payment);
    assertThat(rejection(refund(payment, HOST, "r1", 100, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(rejection(refund(payment, Actor.SYSTEM, "policy", 100, RefundKind.CANCELLATION)))
        .isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(gateway.refundCalls.get()).isZero();
  }

  @Test
  void aPartialRefundIsMadeOnceAndItsKeyReplaysIt() {
    ActorRef<Command> payment = spawn();
    PaymentView paid = pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");

    PaymentView accepted = accepted(refund(payment, HOST, "r1", 1000, RefundKind.PARTIAL));

    assertThat(accepted.refunds())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.key()).isEqualTo(key);
              assertThat(line.requestKey()).isEqualTo("r1");
              assertThat(line.amountCents()).isEqualTo(1000);
              assertThat(line.kind()).isEqualTo(RefundKind.PARTIAL);
            });
    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(1000));
    Refund refund = onlyRefund();
    assertThat(refund.amountCents()).isEqualTo(1000);
    assertThat(refund.intentId()).isEqualTo(paid.intentId());
    assertThat(gateway.calls(key)).isEqualTo(1);

    PaymentView replayed = accepted(refund(payment, HOST, "r1", 1000, RefundKind.PARTIAL));

    assertThat(replayed.refunds()).isEqualTo(refunded.refunds());
    assertThat(replayed.refunds().get(0).refundId()).isEqualTo(refund.id());
    assertThat(gateway.calls(key)).isEqualTo(1);
    assertThat(onlyRefund()).isEqualTo(refund);

    assertThat(rejection(refund(payment, HOST, "r1", 999, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    assertThat(rejection(refund(payment, HOST, "r2", TOTAL - 1000 + 1, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);
    assertThat(rejection(refund(payment, ADMIN, "r3", 0, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);
    assertThat(rejection(refund(payment, ADMIN, "r4", -5, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);

    accepted(refund(payment, ADMIN, "r5", TOTAL - 1000, RefundKind.PARTIAL));
    PaymentView all = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    assertThat(all.refunds())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l.status()).isEqualTo(RefundLineStatus.SUCCEEDED));
    assertThat(rejection(refund(payment, ADMIN, "r6", 1, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);
    assertThat(gateway.refundCalls.get()).isEqualTo(2);
  }

  @Test
  void onlyTheHostAnAdminOrThePlatformRefund() {
    ActorRef<Command> payment = spawn();
    pay(payment);

    assertThat(rejection(refund(payment, OTHER_RENTER, "r1", 100, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(rejection(refund(payment, OTHER_HOST, "r1", 100, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(rejection(refund(payment, RENTER, "r1", 100, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(rejection(refund(payment, RENTER, "policy", TOTAL, RefundKind.CANCELLATION)))
        .isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(gateway.refundCalls.get()).isZero();

    accepted(refund(payment, HOST, "by-host", 100, RefundKind.PARTIAL));
    accepted(refund(payment, ADMIN, "by-admin", 100, RefundKind.PARTIAL));
    accepted(refund(payment, Actor.SYSTEM, "policy", 100, RefundKind.CANCELLATION));
    awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(300));
    assertThat(journal.persistedInStorage(persistenceId()))
        .filteredOn(PaymentEntity.RefundRequested.class::isInstance)
        .extracting(e -> ((PaymentEntity.RefundRequested) e).actorRole())
        .containsExactly(Role.HOST, Role.ADMIN, Role.SYSTEM);
  }

  @Test
  void aCancellationRefundIsCappedAtWhatIsLeft() {
    ActorRef<Command> payment = spawn();
    pay(payment);
    accepted(refund(payment, HOST, "r1", 1000, RefundKind.PARTIAL));

    PaymentView cancelled =
        accepted(refund(payment, Actor.SYSTEM, "policy", TOTAL, RefundKind.CANCELLATION));

    String key = PaymentEntity.refundKey(bookingId, RefundKind.CANCELLATION, "policy");
    assertThat(cancelled.refunds())
        .filteredOn(l -> l.key().equals(key))
        .singleElement()
        .satisfies(l -> assertThat(l.amountCents()).isEqualTo(TOTAL - 1000));
    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    assertThat(refunded.refunds()).hasSize(2);
    assertThat(refundedAtGateway()).isEqualTo(TOTAL);

    // The projection sees the cancellation again: the same refund, nothing more at the gateway.
    assertThat(
            accepted(refund(payment, Actor.SYSTEM, "policy", TOTAL, RefundKind.CANCELLATION))
                .refunds())
        .isEqualTo(refunded.refunds());
    // Nothing is left: a further cancellation refund grants nothing, a partial one is refused.
    assertThat(
            accepted(refund(payment, Actor.SYSTEM, "again", 500, RefundKind.CANCELLATION))
                .refunds())
        .hasSize(2);
    assertThat(rejection(refund(payment, ADMIN, "r2", 1, RefundKind.PARTIAL)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);
    assertThat(gateway.refundCalls.get()).isEqualTo(2);
    assertThat(refundedAtGateway()).isEqualTo(TOTAL);
  }

  @Test
  void refundsNeverExceedWhatWasPaid() {
    ActorRef<Command> payment = spawn();
    pay(payment);
    Random random = new Random(42);
    long accepted = 0;
    for (int i = 0; i < 40; i++) {
      RefundKind kind = random.nextBoolean() ? RefundKind.PARTIAL : RefundKind.CANCELLATION;
      Actor actor =
          kind == RefundKind.PARTIAL ? (random.nextBoolean() ? HOST : ADMIN) : Actor.SYSTEM;
      String requestKey = "k" + random.nextInt(12);
      PaymentReply reply = refund(payment, actor, requestKey, 1 + random.nextInt(900), kind);
      if (reply instanceof PaymentAccepted a) {
        accepted = a.payment().refunds().stream().mapToLong(RefundLine::amountCents).sum();
        assertThat(accepted).isLessThanOrEqualTo(TOTAL);
      }
    }
    long requested = accepted;
    PaymentView settled =
        awaitView(
            payment,
            v -> {
              assertThat(v.refunds())
                  .allSatisfy(l -> assertThat(l.status()).isEqualTo(RefundLineStatus.SUCCEEDED));
              assertThat(v.refundedCents()).isEqualTo(requested);
            });
    assertThat(settled.refundedCents()).isLessThanOrEqualTo(settled.paidCents());
    assertThat(refundedAtGateway()).isEqualTo(settled.refundedCents());
    assertThat(offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join())
        .hasSize(settled.refunds().size());
  }

  @Test
  void aRefundThatFailsTransientlyIsRetriedUntilItIsMade() {
    gateway.refundFaults.add(Fault.UNAVAILABLE);
    gateway.refundFaults.add(Fault.UNAVAILABLE);
    ActorRef<Command> payment = spawn();
    pay(payment);

    accepted(refund(payment, HOST, "r1", 700, RefundKind.PARTIAL));

    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(700));
    assertThat(refunded.refunds())
        .singleElement()
        .satisfies(l -> assertThat(l.status()).isEqualTo(RefundLineStatus.SUCCEEDED));
    assertThat(onlyRefund().amountCents()).isEqualTo(700);
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    // Neither failed call made a refund, so each next try used the next attempt's key.
    assertThat(gateway.keysCalled()).contains(key, key + ":2", key + ":3");
    assertThat(gateway.calls(key) + gateway.calls(key + ":2") + gateway.calls(key + ":3"))
        .isEqualTo(3);
  }

  @Test
  void aRefundTheGatewayMadeBeforeFailingIsFoundAndNotMadeTwice() {
    gateway.refundFaults.add(Fault.APPLIED_THEN_UNAVAILABLE);
    ActorRef<Command> payment = spawn();
    pay(payment);

    accepted(refund(payment, HOST, "r1", 700, RefundKind.PARTIAL));

    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(700));
    assertThat(refunded.refunds())
        .singleElement()
        .satisfies(l -> assertThat(l.refundId()).isEqualTo(onlyRefund().id()));
    assertThat(gateway.calls(PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1")))
        .isEqualTo(1);
  }

  @Test
  void aRefundRefusedForGoodEndsRejectedAndFreesItsAmount() {
    gateway.refundFaults.add(Fault.REJECTED);
    ActorRef<Command> payment = spawn();
    pay(payment);

    accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL));

    PaymentView rejected =
        awaitView(
            payment,
            v ->
                assertThat(v.refunds())
                    .singleElement()
                    .satisfies(l -> assertThat(l.status()).isEqualTo(RefundLineStatus.REJECTED)));
    assertThat(rejected.refundedCents()).isZero();
    assertThat(rejected.refunds().get(0).refundId()).isNull();
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    assertThat(gateway.calls(key)).isEqualTo(1);
    assertThat(offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join())
        .isEmpty();
    // Not retried: a restart resumes all pending work (as the retry timer does), and calls nothing.
    payment = restart(payment);
    assertThat(view(payment, ADMIN).refunds()).isEqualTo(rejected.refunds());
    assertThat(gateway.calls(key)).isEqualTo(1);

    // The same request again answers what became of it; a new request may refund the whole amount.
    assertThat(accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL)).refunds())
        .isEqualTo(rejected.refunds());
    accepted(refund(payment, HOST, "r2", TOTAL, RefundKind.PARTIAL));
    awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    assertThat(gateway.calls(key)).isEqualTo(1);
  }

  @Test
  void aRefundThatFailsAfterTheFactIsFailedNotRetriedAndNoLongerCounted() {
    ActorRef<Command> payment = spawn();
    PaymentView paid = pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL));
    awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    Refund made = onlyRefund();
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    // As Stripe reports a refund that bounced: its id, and the metadata the payments gave it.
    GatewayEvent failed =
        new GatewayEvent(
            "evt_test_refund_failed",
            GatewayEvent.REFUND_FAILED,
            T0,
            paid.intentId(),
            made.id(),
            TOTAL,
            "USD",
            Map.of("booking_id", bookingId, "refund_key", key),
            "failed");
    GatewayEvent updated =
        new GatewayEvent(
            "evt_test_refund_updated",
            GatewayEvent.REFUND_UPDATED,
            T0,
            paid.intentId(),
            made.id(),
            TOTAL,
            "USD",
            Map.of("booking_id", bookingId, "refund_key", key),
            "failed");

    assertThat(record(payment, failed).duplicate()).isFalse();
    assertThat(record(payment, failed).duplicate()).isTrue();
    assertThat(record(payment, updated).duplicate())
        .as("the twin event is kept, not applied twice")
        .isFalse();

    PaymentView after = view(payment, ADMIN);
    assertThat(after.refunds())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.status()).isEqualTo(RefundLineStatus.FAILED);
              assertThat(l.refundId()).isEqualTo(made.id());
            });
    assertThat(after.refundedCents()).isZero();
    // Not retried: a restart resumes all pending work (as the retry timer does), and calls nothing.
    payment = restart(payment);
    assertThat(view(payment, ADMIN).refunds()).isEqualTo(after.refunds());
    assertThat(gateway.calls(key)).as("not retried: an operator decides").isEqualTo(1);
    // The same request answers what became of it; what failed may be refunded again, under a new
    // key
    // (this offline gateway, which never saw the failure, then refuses it).
    assertThat(accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL)).refunds())
        .isEqualTo(after.refunds());
    assertThat(accepted(refund(payment, ADMIN, "r1-again", TOTAL, RefundKind.PARTIAL)).refunds())
        .hasSize(2);
    awaitView(
        payment,
        v ->
            assertThat(v.refunds())
                .extracting(RefundLine::status)
                .containsExactlyInAnyOrder(RefundLineStatus.FAILED, RefundLineStatus.REJECTED));

    testKit.stop(payment);
    assertThat(view(spawn(), ADMIN).refunds())
        .extracting(RefundLine::status)
        .containsExactlyInAnyOrder(RefundLineStatus.FAILED, RefundLineStatus.REJECTED);
  }

  @Test
  void aCanceledIntentFailsTheUnpaidPaymentAndDisputeEventsMarkItDisputed() {
    ActorRef<Command> payment = spawn();
    PaymentView started = start(payment);

    record(
        payment,
        new GatewayEvent(
            "evt_test_canceled",
            GatewayEvent.PAYMENT_CANCELED,
            T0,
            started.intentId(),
            null,
            TOTAL,
            "USD",
            Map.of("booking_id", bookingId),
            "canceled"));
    assertThat(view(payment, ADMIN).status()).isEqualTo(PaymentStatus.FAILED);

    record(
        payment,
        new GatewayEvent(
            "evt_test_dispute_closed",
            GatewayEvent.DISPUTE_CLOSED,
            T0,
            started.intentId(),
            "ch_1",
            TOTAL,
            "USD",
            Map.of(),
            "lost"));
    assertThat(view(payment, ADMIN).disputed()).isTrue();
  }
}
