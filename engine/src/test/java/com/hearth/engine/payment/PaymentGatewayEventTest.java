package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.payment.PaymentEntity.Command;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.Recorded;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RefundLine;
import com.hearth.engine.payment.PaymentGateway.Refund;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * Gateway events: a payment confirms its booking once; a late one is refunded; duplicates change
 * nothing. The fixture is {@link PaymentEntityFixture}'s.
 */
class PaymentGatewayEventTest extends PaymentEntityFixture {

  @Test
  void aSucceededPaymentConfirmsTheBookingOnceAndIsDeduplicated() {
    List<GatewayEvent> emitted = new CopyOnWriteArrayList<>();
    offline.onEvent(emitted::add);
    ActorRef<Command> payment = spawn();
    PaymentView started = start(payment);

    GatewayEvent succeeded = offline.succeed(started.intentId()).orElseThrow();

    assertThat(emitted).containsExactly(succeeded);
    assertThat(succeeded.type()).isEqualTo(GatewayEvent.PAYMENT_SUCCEEDED);
    assertThat(succeeded.bookingId()).isEqualTo(bookingId);
    assertThat(record(payment, succeeded)).isEqualTo(new Recorded(succeeded.eventId(), false));
    PaymentView confirmed =
        awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    assertThat(confirmed.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(confirmed.paidCents()).isEqualTo(TOTAL);
    assertThat(kitchens.asked).containsExactly("kitchen-1/" + bookingId);
    int persisted = journal.persistedInStorage(persistenceId()).size();

    assertThat(record(payment, succeeded)).isEqualTo(new Recorded(succeeded.eventId(), true));
    view(payment, ADMIN);
    assertThat(kitchens.asked).hasSize(1);
    assertThat(journal.persistedInStorage(persistenceId())).hasSize(persisted);

    // A failure reported after the success (out of order, or for a second card) changes nothing.
    GatewayEvent failedLate =
        new GatewayEvent(
            "evt_test_failed_late",
            GatewayEvent.PAYMENT_FAILED,
            T0,
            started.intentId(),
            null,
            TOTAL,
            "USD",
            Map.of("booking_id", bookingId));
    assertThat(record(payment, failedLate)).isEqualTo(new Recorded(failedLate.eventId(), false));
    assertThat(record(payment, failedLate)).isEqualTo(new Recorded(failedLate.eventId(), true));
    PaymentView after = view(payment, RENTER);
    assertThat(after.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(after.paidCents()).isEqualTo(TOTAL);
    assertThat(after.outcome()).isEqualTo(PaymentOutcome.CONFIRMED);
    assertThat(kitchens.asked).hasSize(1);
  }

  @Test
  void aFailedPaymentMayBeFollowedBySuccess() {
    ActorRef<Command> payment = spawn();
    PaymentView started = start(payment);

    GatewayEvent failed = offline.fail(started.intentId()).orElseThrow();
    assertThat(record(payment, failed)).isEqualTo(new Recorded(failed.eventId(), false));
    PaymentView afterFailure = view(payment, RENTER);
    assertThat(afterFailure.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(afterFailure.paidCents()).isZero();
    assertThat(afterFailure.outcome()).isEqualTo(PaymentOutcome.NONE);
    assertThat(kitchens.asked).isEmpty();
    assertThat(start(payment).intentId()).isEqualTo(started.intentId());

    GatewayEvent succeeded = offline.succeed(started.intentId()).orElseThrow();
    assertThat(record(payment, succeeded).duplicate()).isFalse();
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    assertThat(view(payment, RENTER).status()).isEqualTo(PaymentStatus.SUCCEEDED);
  }

  @Test
  void anEventForAnotherIntentIsKeptButPaysNothing() {
    ActorRef<Command> payment = spawn();
    start(payment);

    GatewayEvent foreign =
        new GatewayEvent(
            "evt_test_foreign",
            GatewayEvent.PAYMENT_SUCCEEDED,
            T0,
            "pi_somebody_else",
            null,
            TOTAL,
            "USD",
            Map.of("booking_id", bookingId));

    assertThat(record(payment, foreign)).isEqualTo(new Recorded(foreign.eventId(), false));
    assertThat(record(payment, foreign)).isEqualTo(new Recorded(foreign.eventId(), true));
    assertThat(view(payment, RENTER).paidCents()).isZero();
    assertThat(kitchens.asked).isEmpty();
  }

  @Test
  void aPaymentAfterTheHoldEndedIsRefundedInFull() {
    kitchens.answers.add(() -> CompletableFuture.completedFuture(false));
    ActorRef<Command> payment = spawn();

    PaymentView started = pay(payment);

    PaymentView refunded =
        awaitView(
            payment,
            v -> {
              assertThat(v.outcome()).isEqualTo(PaymentOutcome.REFUNDED_LATE);
              assertThat(v.refundedCents()).isEqualTo(TOTAL);
            });
    String lateKey = PaymentEntity.refundKey(bookingId, RefundKind.LATE_PAYMENT, "full");
    assertThat(refunded.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(refunded.refunds())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.key()).isEqualTo(lateKey);
              assertThat(line.kind()).isEqualTo(RefundKind.LATE_PAYMENT);
              assertThat(line.amountCents()).isEqualTo(TOTAL);
              assertThat(line.status()).isEqualTo(RefundLineStatus.SUCCEEDED);
            });
    Refund refund = onlyRefund();
    assertThat(refund.intentId()).isEqualTo(started.intentId());
    assertThat(refund.amountCents()).isEqualTo(TOTAL);
    assertThat(refunded.refunds().get(0).refundId()).isEqualTo(refund.id());
    assertThat(gateway.calls(lateKey)).isEqualTo(1);
    assertThat(kitchens.asked).hasSize(1);
  }

  @Test
  void aLatePaymentPartlyRefundedAlreadyReturnsOnlyTheRest() {
    CompletableFuture<Boolean> kitchenAnswer = new CompletableFuture<>();
    kitchens.answers.add(() -> kitchenAnswer);
    ActorRef<Command> payment = spawn();
    pay(payment);
    accepted(refund(payment, ADMIN, "r1", 1000, RefundKind.PARTIAL));

    kitchenAnswer.complete(false);

    PaymentView refunded =
        awaitView(
            payment,
            v -> {
              assertThat(v.outcome()).isEqualTo(PaymentOutcome.REFUNDED_LATE);
              assertThat(v.refundedCents()).isEqualTo(TOTAL);
            });
    assertThat(refunded.refunds())
        .extracting(RefundLine::amountCents)
        .containsExactlyInAnyOrder(1000L, TOTAL - 1000);
    assertThat(refundedAtGateway()).isEqualTo(TOTAL);
  }

  @Test
  void aLatePaymentAlreadyRefundedInFullRecordsNoEmptyRefund() {
    CompletableFuture<Boolean> kitchenAnswer = new CompletableFuture<>();
    kitchens.answers.add(() -> kitchenAnswer);
    ActorRef<Command> payment = spawn();
    pay(payment);
    accepted(refund(payment, ADMIN, "all", TOTAL, RefundKind.PARTIAL));

    kitchenAnswer.complete(false);

    PaymentView settled =
        awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.REFUNDED_LATE));
    assertThat(settled.refunds()).extracting(RefundLine::amountCents).containsExactly(TOTAL);
    assertThat(refundedAtGateway()).isEqualTo(TOTAL);
  }

  @Test
  void aKitchenThatDoesNotAnswerIsAskedAgainUntilItConfirms() {
    kitchens.answers.add(
        () -> CompletableFuture.failedFuture(new TimeoutException("kitchen ask timed out")));
    ActorRef<Command> payment = spawn();

    pay(payment);

    PaymentView confirmed =
        awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    assertThat(confirmed.refunds()).isEmpty();
    assertThat(kitchens.asked).hasSize(2);
    assertThat(offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join())
        .isEmpty();
  }

  @Test
  void aConfirmationInterruptedByACrashIsAskedAgainOnRecovery() {
    kitchens.answers.add(CompletableFuture::new); // never answers
    ActorRef<Command> payment = spawn();
    pay(payment);
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(WAIT, () -> assertThat(kitchens.asked).hasSize(1));
    assertThat(view(payment, ADMIN).outcome()).isEqualTo(PaymentOutcome.CONFIRMING);
    testKit.stop(payment);

    ActorRef<Command> recovered = spawn(gateway, kitchens);

    awaitView(recovered, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    assertThat(kitchens.asked).hasSize(2);
  }
}
