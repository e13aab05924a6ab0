package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.payment.PaymentEntity.Command;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentGateway.Refund;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * Restarts and snapshots recover the same payment and resume what was pending. The fixture is
 * {@link PaymentEntityFixture}'s.
 */
class PaymentRecoveryTest extends PaymentEntityFixture {

  @Test
  void aRefundInterruptedByACrashIsMadeOnceOnRecovery() {
    gateway.refundFaults.add(Fault.LOST_RESPONSE);
    ActorRef<Command> payment = spawn();
    pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    accepted(refund(payment, HOST, "r1", 1200, RefundKind.PARTIAL));
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    assertThat(gateway.calls(key)).isEqualTo(1);
    testKit.stop(payment);

    TestGateway working = new TestGateway(offline);
    ActorRef<Command> recovered = spawn(working, kitchens);

    PaymentView refunded = awaitView(recovered, v -> assertThat(v.refundedCents()).isEqualTo(1200));
    assertThat(working.calls(key)).isEqualTo(1);
    Refund refund = onlyRefund();
    assertThat(refund.amountCents()).isEqualTo(1200);
    assertThat(refunded.refunds().get(0).refundId()).isEqualTo(refund.id());
  }

  @Test
  void aRestartRecoversTheSamePayment() {
    ActorRef<Command> payment = spawn();
    pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    accepted(refund(payment, HOST, "r1", 1200, RefundKind.PARTIAL));
    PaymentView before = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(1200));
    PaymentView beforeForRenter = view(payment, RENTER);
    testKit.stop(payment);

    ActorRef<Command> recovered = spawn();

    assertThat(view(recovered, ADMIN)).isEqualTo(before);
    assertThat(view(recovered, RENTER)).isEqualTo(beforeForRenter);
    assertThat(kitchens.asked).hasSize(1);
    assertThat(gateway.refundCalls.get()).isEqualTo(1);
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1);
  }

  @Test
  void aRestartFromASnapshotRecoversTheSamePayment() {
    ActorRef<Command> payment = spawn();
    PaymentView started = pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    // Enough recorded events to pass the snapshot interval of 50.
    for (int i = 0; i < 55; i++)
      record(
          payment,
          new GatewayEvent(
              "evt_test_" + i,
              GatewayEvent.DISPUTE_CREATED,
              T0,
              started.intentId(),
              "ch_1",
              TOTAL,
              "USD",
              Map.of("booking_id", bookingId)));
    PaymentView before = view(payment, ADMIN);
    assertThat(before.disputed()).isTrue();
    testKit.stop(payment);

    // Retention snapshots every 50 events: one was taken on the way.
    assertThat(snapshots.persistedInStorage(persistenceId()))
        .extracting(p -> p.first().sequenceNr())
        .contains(50L);

    ActorRef<Command> recovered = spawn();

    assertThat(view(recovered, ADMIN)).isEqualTo(before);
    assertThat(
            record(
                    recovered,
                    new GatewayEvent(
                        "evt_test_3",
                        GatewayEvent.DISPUTE_CREATED,
                        T0,
                        started.intentId(),
                        "ch_1",
                        TOTAL,
                        "USD",
                        Map.of("booking_id", bookingId)))
                .duplicate())
        .isTrue();
  }

  /**
   * Recovery really loads the snapshot: with the journal's events gone (sequence numbers kept), a
   * restart still finds the payment, paid, confirmed and disputed, and the gateway events recorded
   * before the snapshot (at event 50). With no snapshot it would find no payment at all.
   */
  @Test
  void recoveryStartsFromTheSnapshotNotFromTheFirstEvent() {
    ActorRef<Command> payment = spawn();
    PaymentView started = pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo(PaymentOutcome.CONFIRMED));
    for (int i = 0; i < 55; i++)
      record(
          payment,
          new GatewayEvent(
              "evt_test_" + i,
              GatewayEvent.DISPUTE_CREATED,
              T0,
              started.intentId(),
              "ch_1",
              TOTAL,
              "USD",
              Map.of("booking_id", bookingId)));
    testKit.stop(payment);
    journal.clearByIdPreservingSeqNumbers(persistenceId());

    ActorRef<Command> recovered = spawn();

    PaymentView view = view(recovered, ADMIN);
    assertThat(view.intentId()).isEqualTo(started.intentId());
    assertThat(view.paidCents()).isEqualTo(TOTAL);
    assertThat(view.outcome()).isEqualTo(PaymentOutcome.CONFIRMED);
    assertThat(view.disputed()).isTrue();
    assertThat(
            record(
                    recovered,
                    new GatewayEvent(
                        "evt_test_3",
                        GatewayEvent.DISPUTE_CREATED,
                        T0,
                        started.intentId(),
                        "ch_1",
                        TOTAL,
                        "USD",
                        Map.of("booking_id", bookingId)))
                .duplicate())
        .isTrue();
  }
}
