package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.payment.PaymentEntity.Command;
import com.hearth.engine.payment.PaymentEntity.GetPayment;
import com.hearth.engine.payment.PaymentEntity.IntentCreated;
import com.hearth.engine.payment.PaymentEntity.IntentRequested;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.StartPayment;
import com.hearth.engine.payment.PaymentGateway.Intent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * Starting a payment: one intent per booking, made once whatever the gateway does. The fixture is
 * {@link PaymentEntityFixture}'s.
 */
class PaymentStartTest extends PaymentEntityFixture {

  @Test
  void startPaymentCreatesOneIntentForTheBookingTotal() {
    ActorRef<Command> payment = spawn();

    PaymentView first = start(payment);

    assertThat(first.intentId()).isNotNull();
    assertThat(first.clientSecret()).isNotNull();
    assertThat(first.amountCents()).isEqualTo(TOTAL);
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.status()).isEqualTo(PaymentStatus.REQUIRES_PAYMENT);
    assertThat(first.paidCents()).isZero();
    assertThat(first.outcome()).isEqualTo(PaymentOutcome.NONE);
    Intent intent = onlyIntent();
    assertThat(intent.id()).isEqualTo(first.intentId());
    assertThat(intent.clientSecret()).isEqualTo(first.clientSecret());
    assertThat(intent.amountCents()).isEqualTo(TOTAL);
    assertThat(intent.currency()).isEqualTo("USD");
    assertThat(intent.metadata())
        .containsEntry("booking_id", bookingId)
        .containsEntry("renter_id", RENTER.id());
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1);

    PaymentView again = start(payment);

    assertThat(again.intentId()).isEqualTo(first.intentId());
    assertThat(again.clientSecret()).isEqualTo(first.clientSecret());
    assertThat(offline.listIntents(Instant.MIN, Instant.MAX).toCompletableFuture().join())
        .hasSize(1);
  }

  @Test
  void onlyTheRenterStartsAPaymentAndOnlyTheRenterSeesTheClientSecret() {
    ActorRef<Command> payment = spawn();

    assertThat(rejection(ask(payment, r -> new StartPayment(OTHER_RENTER, terms, r))))
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(journal.persistedInStorage(persistenceId())).isEmpty();
    assertThat(rejection(ask(payment, r -> new GetPayment(RENTER, r))))
        .isEqualTo(Rejection.Code.NOT_FOUND);

    PaymentView started = start(payment);

    assertThat(rejection(ask(payment, r -> new StartPayment(OTHER_RENTER, terms, r))))
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(rejection(ask(payment, r -> new GetPayment(OTHER_RENTER, r))))
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(rejection(ask(payment, r -> new GetPayment(OTHER_HOST, r))))
        .isEqualTo(Rejection.Code.NOT_FOUND);
    for (Actor staff : List.of(HOST, ADMIN)) {
      PaymentView seen = view(payment, staff);
      assertThat(seen.intentId()).isEqualTo(started.intentId());
      assertThat(seen.amountCents()).isEqualTo(TOTAL);
      assertThat(seen.clientSecret()).as(staff.id()).isNull();
    }
    assertThat(view(payment, RENTER).clientSecret()).isEqualTo(started.clientSecret());
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1);
  }

  @Test
  void anUnavailableGatewayThatMadeNothingIsAskedAgainUnderTheNextAttemptsKey() {
    gateway.intentFaults.add(Fault.UNAVAILABLE);
    ActorRef<Command> payment = spawn();

    assertThat(rejection(ask(payment, r -> new StartPayment(RENTER, terms, r))))
        .isEqualTo(Rejection.Code.UNAVAILABLE);
    assertThat(offline.listIntents(Instant.MIN, Instant.MAX).toCompletableFuture().join())
        .isEmpty();

    PaymentView started = start(payment);

    assertThat(started.intentId()).isEqualTo(onlyIntent().id());
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1);
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId, 2))).isEqualTo(1);
  }

  @Test
  void anIntentTheGatewayMadeBeforeFailingIsFoundAndAdoptedNotMadeTwice() {
    gateway.intentFaults.add(Fault.APPLIED_THEN_UNAVAILABLE);
    ActorRef<Command> payment = spawn();

    PaymentView started = start(payment);

    assertThat(started.intentId()).isEqualTo(onlyIntent().id());
    assertThat(gateway.keysCalled()).containsExactly(PaymentEntity.intentKey(bookingId));
  }

  @Test
  void aGatewayThatRefusesTheIntentAnswersGatewayRefused() {
    gateway.intentFaults.add(Fault.REJECTED);
    ActorRef<Command> payment = spawn();

    assertThat(rejection(ask(payment, r -> new StartPayment(RENTER, terms, r))))
        .isEqualTo(Rejection.Code.GATEWAY_REFUSED);
    assertThat(start(payment).intentId()).isEqualTo(onlyIntent().id());
  }

  @Test
  void startsWhileTheIntentIsBeingMadeShareOneCall() {
    gateway.intentFaults.add(Fault.HELD);
    ActorRef<Command> payment = spawn();
    TestProbe<PaymentReply> first = testKit.createTestProbe();
    TestProbe<PaymentReply> second = testKit.createTestProbe();
    payment.tell(new StartPayment(RENTER, terms, first.ref()));
    first.awaitAssert(WAIT, () -> assertThat(gateway.held).hasSize(1));
    payment.tell(new StartPayment(RENTER, terms, second.ref()));
    assertThat(view(payment, RENTER).intentId()).isNull();

    gateway.held.poll().run();

    PaymentView one = accepted(first.receiveMessage(WAIT));
    PaymentView two = accepted(second.receiveMessage(WAIT));
    assertThat(one.intentId()).isEqualTo(onlyIntent().id()).isEqualTo(two.intentId());
    assertThat(one.clientSecret()).isNotNull().isEqualTo(two.clientSecret());
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1);
  }

  @Test
  void aCrashBetweenIntentRequestAndResponseMakesTheSameCallAgainOnRecovery() {
    // The provider makes the intent, but its answer never comes back before the entity stops.
    gateway.intentFaults.add(Fault.LOST_RESPONSE);
    ActorRef<Command> payment = spawn();
    TestProbe<PaymentReply> renter = testKit.createTestProbe();
    payment.tell(new StartPayment(RENTER, terms, renter.ref()));
    journal.expectNextPersisted(
        persistenceId(),
        new IntentRequested(bookingId, terms, PaymentEntity.intentKey(bookingId), T0));
    renter.awaitAssert(
        WAIT, () -> assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1));
    testKit.stop(payment);
    // Stopped and never answered: whatever it had sent would be in the probe's queue by now.
    renter.expectNoMessage(Duration.ZERO);

    TestGateway working = new TestGateway(offline);
    ActorRef<Command> recovered = spawn(working, kitchens);

    // Recovery alone makes the call again, under the same key; the provider replays its intent.
    renter.awaitAssert(
        WAIT, () -> assertThat(working.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1));
    PaymentView started = start(recovered);
    Intent intent = onlyIntent();
    assertThat(started.intentId()).isEqualTo(intent.id());
    assertThat(started.clientSecret()).isEqualTo(intent.clientSecret());
    assertThat(working.keysCalled()).containsExactly(PaymentEntity.intentKey(bookingId));
    assertThat(journal.persistedInStorage(persistenceId()))
        .filteredOn(IntentCreated.class::isInstance)
        .hasSize(1);
  }
}
