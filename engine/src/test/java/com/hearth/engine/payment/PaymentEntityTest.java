package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Role;
import com.hearth.engine.payment.PaymentEntity.Command;
import com.hearth.engine.payment.PaymentEntity.GetPayment;
import com.hearth.engine.payment.PaymentEntity.IntentCreated;
import com.hearth.engine.payment.PaymentEntity.IntentRequested;
import com.hearth.engine.payment.PaymentEntity.Kitchens;
import com.hearth.engine.payment.PaymentEntity.PaymentAccepted;
import com.hearth.engine.payment.PaymentEntity.PaymentRejected;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.RecordGatewayEvent;
import com.hearth.engine.payment.PaymentEntity.Recorded;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RefundLine;
import com.hearth.engine.payment.PaymentEntity.RequestRefund;
import com.hearth.engine.payment.PaymentEntity.StartPayment;
import com.hearth.engine.payment.PaymentEntity.Terms;
import com.hearth.engine.payment.PaymentGateway.GatewayRejected;
import com.hearth.engine.payment.PaymentGateway.GatewayUnavailable;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.Refund;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment entity as it runs: spawned in an actor system whose journal and snapshot store are
 * the persistence test kit's (in memory, every event and snapshot serialized), driving the offline
 * gateway through a wrapper that counts calls per idempotency key and injects faults, and asking a
 * fake kitchen whose answers each test decides. Restarts are real: the entity is stopped and a new
 * incarnation recovers from the journal.
 *
 * <p>The booking costs 5413 USD cents (the two-hour booking of KitchenEntityTest). The entity
 * retries after {@link #RETRY} instead of its production 5 s, so no test waits long.
 */
class PaymentEntityTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration RETRY = Duration.ofMillis(100);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long TOTAL = 5413;

  private static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  private static final Actor OTHER_RENTER = new Actor("renter-2", Set.of(Role.RENTER));
  private static final Actor HOST = new Actor("host-1", Set.of(Role.HOST));
  private static final Actor OTHER_HOST = new Actor("host-2", Set.of(Role.HOST));
  private static final Actor ADMIN = new Actor("admin-1", Set.of(Role.ADMIN));

  private static ActorTestKit testKit;
  private static PersistenceTestKit journal;

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private String bookingId;
  private Terms terms;
  private OfflineGateway offline;
  private TestGateway gateway;
  private FakeKitchens kitchens;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create(PersistenceTestKitPlugin.config()
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.load()));
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newBooking() {
    bookingId = "bk-" + UUID.randomUUID();
    terms = new Terms(bookingId, "kitchen-1", HOST.id(), RENTER.id(), TOTAL, "USD");
    offline = new OfflineGateway(clock);
    gateway = new TestGateway(offline);
    kitchens = new FakeKitchens();
  }

  // ---------------------------------------------------------------- starting a payment

  @Test
  void startPaymentCreatesOneIntentForTheBookingTotal() {
    ActorRef<Command> payment = spawn();

    PaymentView first = start(payment);

    assertThat(first.intentId()).isNotNull();
    assertThat(first.clientSecret()).isNotNull();
    assertThat(first.amountCents()).isEqualTo(TOTAL);
    assertThat(first.currency()).isEqualTo("USD");
    assertThat(first.status()).isEqualTo("REQUIRES_PAYMENT");
    assertThat(first.paidCents()).isZero();
    assertThat(first.outcome()).isEqualTo("NONE");
    Intent intent = onlyIntent();
    assertThat(intent.id()).isEqualTo(first.intentId());
    assertThat(intent.clientSecret()).isEqualTo(first.clientSecret());
    assertThat(intent.amountCents()).isEqualTo(TOTAL);
    assertThat(intent.currency()).isEqualTo("USD");
    assertThat(intent.metadata()).containsEntry("booking_id", bookingId).containsEntry("renter_id", RENTER.id());
    assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1);

    PaymentView again = start(payment);

    assertThat(again.intentId()).isEqualTo(first.intentId());
    assertThat(again.clientSecret()).isEqualTo(first.clientSecret());
    assertThat(offline.listIntents(Instant.MIN, Instant.MAX).toCompletableFuture().join()).hasSize(1);
  }

  @Test
  void onlyTheRenterStartsAPaymentAndOnlyTheRenterSeesTheClientSecret() {
    ActorRef<Command> payment = spawn();

    assertThat(rejection(ask(payment, r -> new StartPayment(OTHER_RENTER, terms, r))))
        .isEqualTo(PaymentRejected.Code.NOT_FOUND);
    assertThat(journal.persistedInStorage(persistenceId())).isEmpty();
    assertThat(rejection(ask(payment, r -> new GetPayment(RENTER, r)))).isEqualTo(PaymentRejected.Code.NOT_FOUND);

    PaymentView started = start(payment);

    assertThat(rejection(ask(payment, r -> new StartPayment(OTHER_RENTER, terms, r))))
        .isEqualTo(PaymentRejected.Code.NOT_FOUND);
    assertThat(rejection(ask(payment, r -> new GetPayment(OTHER_RENTER, r)))).isEqualTo(PaymentRejected.Code.NOT_FOUND);
    assertThat(rejection(ask(payment, r -> new GetPayment(OTHER_HOST, r)))).isEqualTo(PaymentRejected.Code.NOT_FOUND);
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
        .isEqualTo(PaymentRejected.Code.UNAVAILABLE);
    assertThat(offline.listIntents(Instant.MIN, Instant.MAX).toCompletableFuture().join()).isEmpty();

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
        .isEqualTo(PaymentRejected.Code.GATEWAY_REFUSED);
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
    journal.expectNextPersisted(persistenceId(),
        new IntentRequested(bookingId, terms, PaymentEntity.intentKey(bookingId), T0));
    renter.awaitAssert(WAIT, () -> assertThat(gateway.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1));
    testKit.stop(payment);
    renter.expectNoMessage(Duration.ofMillis(50));

    TestGateway working = new TestGateway(offline);
    ActorRef<Command> recovered = spawn(working, kitchens);

    // Recovery alone makes the call again, under the same key; the provider replays its intent.
    renter.awaitAssert(WAIT, () -> assertThat(working.calls(PaymentEntity.intentKey(bookingId))).isEqualTo(1));
    PaymentView started = start(recovered);
    Intent intent = onlyIntent();
    assertThat(started.intentId()).isEqualTo(intent.id());
    assertThat(started.clientSecret()).isEqualTo(intent.clientSecret());
    assertThat(working.keysCalled()).containsExactly(PaymentEntity.intentKey(bookingId));
    assertThat(journal.persistedInStorage(persistenceId())).filteredOn(IntentCreated.class::isInstance).hasSize(1);
  }

  // ---------------------------------------------------------------- gateway events

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
    PaymentView confirmed = awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    assertThat(confirmed.status()).isEqualTo("SUCCEEDED");
    assertThat(confirmed.paidCents()).isEqualTo(TOTAL);
    assertThat(kitchens.asked).containsExactly("kitchen-1/" + bookingId);
    int persisted = journal.persistedInStorage(persistenceId()).size();

    assertThat(record(payment, succeeded)).isEqualTo(new Recorded(succeeded.eventId(), true));
    view(payment, ADMIN);
    assertThat(kitchens.asked).hasSize(1);
    assertThat(journal.persistedInStorage(persistenceId())).hasSize(persisted);

    // A failure reported after the success (out of order, or for a second card) changes nothing.
    GatewayEvent failedLate = new GatewayEvent("evt_test_failed_late", GatewayEvent.PAYMENT_FAILED, T0,
        started.intentId(), null, TOTAL, "USD", Map.of("booking_id", bookingId));
    assertThat(record(payment, failedLate)).isEqualTo(new Recorded(failedLate.eventId(), false));
    assertThat(record(payment, failedLate)).isEqualTo(new Recorded(failedLate.eventId(), true));
    PaymentView after = view(payment, RENTER);
    assertThat(after.status()).isEqualTo("SUCCEEDED");
    assertThat(after.paidCents()).isEqualTo(TOTAL);
    assertThat(after.outcome()).isEqualTo("CONFIRMED");
    assertThat(kitchens.asked).hasSize(1);
  }

  @Test
  void aFailedPaymentMayBeFollowedBySuccess() {
    ActorRef<Command> payment = spawn();
    PaymentView started = start(payment);

    GatewayEvent failed = offline.fail(started.intentId()).orElseThrow();
    assertThat(record(payment, failed)).isEqualTo(new Recorded(failed.eventId(), false));
    PaymentView afterFailure = view(payment, RENTER);
    assertThat(afterFailure.status()).isEqualTo("FAILED");
    assertThat(afterFailure.paidCents()).isZero();
    assertThat(afterFailure.outcome()).isEqualTo("NONE");
    assertThat(kitchens.asked).isEmpty();
    assertThat(start(payment).intentId()).isEqualTo(started.intentId());

    GatewayEvent succeeded = offline.succeed(started.intentId()).orElseThrow();
    assertThat(record(payment, succeeded).duplicate()).isFalse();
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    assertThat(view(payment, RENTER).status()).isEqualTo("SUCCEEDED");
  }

  @Test
  void anEventForAnotherIntentIsKeptButPaysNothing() {
    ActorRef<Command> payment = spawn();
    start(payment);

    GatewayEvent foreign = new GatewayEvent("evt_test_foreign", GatewayEvent.PAYMENT_SUCCEEDED, T0, "pi_somebody_else",
        null, TOTAL, "USD", Map.of("booking_id", bookingId));

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

    PaymentView refunded = awaitView(payment, v -> {
      assertThat(v.outcome()).isEqualTo("REFUNDED_LATE");
      assertThat(v.refundedCents()).isEqualTo(TOTAL);
    });
    String lateKey = PaymentEntity.refundKey(bookingId, RefundKind.LATE_PAYMENT, "full");
    assertThat(refunded.status()).isEqualTo("SUCCEEDED");
    assertThat(refunded.refunds()).singleElement().satisfies(line -> {
      assertThat(line.key()).isEqualTo(lateKey);
      assertThat(line.kind()).isEqualTo(RefundKind.LATE_PAYMENT);
      assertThat(line.amountCents()).isEqualTo(TOTAL);
      assertThat(line.status()).isEqualTo("SUCCEEDED");
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

    PaymentView refunded = awaitView(payment, v -> {
      assertThat(v.outcome()).isEqualTo("REFUNDED_LATE");
      assertThat(v.refundedCents()).isEqualTo(TOTAL);
    });
    assertThat(refunded.refunds()).extracting(RefundLine::amountCents).containsExactlyInAnyOrder(1000L, TOTAL - 1000);
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

    PaymentView settled = awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("REFUNDED_LATE"));
    assertThat(settled.refunds()).extracting(RefundLine::amountCents).containsExactly(TOTAL);
    assertThat(refundedAtGateway()).isEqualTo(TOTAL);
  }

  @Test
  void aKitchenThatDoesNotAnswerIsAskedAgainUntilItConfirms() {
    kitchens.answers.add(() -> CompletableFuture.failedFuture(new TimeoutException("kitchen ask timed out")));
    ActorRef<Command> payment = spawn();

    pay(payment);

    PaymentView confirmed = awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    assertThat(confirmed.refunds()).isEmpty();
    assertThat(kitchens.asked).hasSize(2);
    assertThat(offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join()).isEmpty();
  }

  @Test
  void aConfirmationInterruptedByACrashIsAskedAgainOnRecovery() {
    kitchens.answers.add(CompletableFuture::new); // never answers
    ActorRef<Command> payment = spawn();
    pay(payment);
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(WAIT, () -> assertThat(kitchens.asked).hasSize(1));
    assertThat(view(payment, ADMIN).outcome()).isEqualTo("CONFIRMING");
    testKit.stop(payment);

    ActorRef<Command> recovered = spawn(gateway, kitchens);

    awaitView(recovered, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    assertThat(kitchens.asked).hasSize(2);
  }

  // ---------------------------------------------------------------- refunds

  @Test
  void aRefundBeforeAnyPaymentIsInvalidState() {
    ActorRef<Command> payment = spawn();

    assertThat(rejection(refund(payment, HOST, "r1", 100, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.INVALID_STATE);
    start(payment);
    assertThat(rejection(refund(payment, HOST, "r1", 100, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.INVALID_STATE);
    assertThat(rejection(refund(payment, Actor.SYSTEM, "policy", 100, RefundKind.CANCELLATION)))
        .isEqualTo(PaymentRejected.Code.INVALID_STATE);
    assertThat(gateway.refundCalls.get()).isZero();
  }

  @Test
  void aPartialRefundIsMadeOnceAndItsKeyReplaysIt() {
    ActorRef<Command> payment = spawn();
    PaymentView paid = pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");

    PaymentView accepted = accepted(refund(payment, HOST, "r1", 1000, RefundKind.PARTIAL));

    assertThat(accepted.refunds()).singleElement().satisfies(line -> {
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

    assertThat(rejection(refund(payment, HOST, "r1", 999, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.KEY_REUSED);
    assertThat(rejection(refund(payment, HOST, "r2", TOTAL - 1000 + 1, RefundKind.PARTIAL)))
        .isEqualTo(PaymentRejected.Code.INVALID_AMOUNT);
    assertThat(rejection(refund(payment, ADMIN, "r3", 0, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.INVALID_AMOUNT);
    assertThat(rejection(refund(payment, ADMIN, "r4", -5, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.INVALID_AMOUNT);

    accepted(refund(payment, ADMIN, "r5", TOTAL - 1000, RefundKind.PARTIAL));
    PaymentView all = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    assertThat(all.refunds()).hasSize(2).allSatisfy(l -> assertThat(l.status()).isEqualTo("SUCCEEDED"));
    assertThat(rejection(refund(payment, ADMIN, "r6", 1, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.INVALID_AMOUNT);
    assertThat(gateway.refundCalls.get()).isEqualTo(2);
  }

  @Test
  void onlyTheHostAnAdminOrThePlatformRefund() {
    ActorRef<Command> payment = spawn();
    pay(payment);

    assertThat(rejection(refund(payment, OTHER_RENTER, "r1", 100, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.NOT_FOUND);
    assertThat(rejection(refund(payment, OTHER_HOST, "r1", 100, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.NOT_FOUND);
    assertThat(rejection(refund(payment, RENTER, "r1", 100, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.FORBIDDEN);
    assertThat(rejection(refund(payment, RENTER, "policy", TOTAL, RefundKind.CANCELLATION)))
        .isEqualTo(PaymentRejected.Code.FORBIDDEN);
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

    PaymentView cancelled = accepted(refund(payment, Actor.SYSTEM, "policy", TOTAL, RefundKind.CANCELLATION));

    String key = PaymentEntity.refundKey(bookingId, RefundKind.CANCELLATION, "policy");
    assertThat(cancelled.refunds()).filteredOn(l -> l.key().equals(key)).singleElement()
        .satisfies(l -> assertThat(l.amountCents()).isEqualTo(TOTAL - 1000));
    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    assertThat(refunded.refunds()).hasSize(2);
    assertThat(refundedAtGateway()).isEqualTo(TOTAL);

    // The projection sees the cancellation again: the same refund, nothing more at the gateway.
    assertThat(accepted(refund(payment, Actor.SYSTEM, "policy", TOTAL, RefundKind.CANCELLATION)).refunds())
        .isEqualTo(refunded.refunds());
    // Nothing is left: a further cancellation refund grants nothing, a partial one is refused.
    assertThat(accepted(refund(payment, Actor.SYSTEM, "again", 500, RefundKind.CANCELLATION)).refunds()).hasSize(2);
    assertThat(rejection(refund(payment, ADMIN, "r2", 1, RefundKind.PARTIAL))).isEqualTo(PaymentRejected.Code.INVALID_AMOUNT);
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
      Actor actor = kind == RefundKind.PARTIAL ? (random.nextBoolean() ? HOST : ADMIN) : Actor.SYSTEM;
      String requestKey = "k" + random.nextInt(12);
      PaymentReply reply = refund(payment, actor, requestKey, 1 + random.nextInt(900), kind);
      if (reply instanceof PaymentAccepted a) {
        accepted = a.payment().refunds().stream().mapToLong(RefundLine::amountCents).sum();
        assertThat(accepted).isLessThanOrEqualTo(TOTAL);
      }
    }
    long requested = accepted;
    PaymentView settled = awaitView(payment, v -> {
      assertThat(v.refunds()).allSatisfy(l -> assertThat(l.status()).isEqualTo("SUCCEEDED"));
      assertThat(v.refundedCents()).isEqualTo(requested);
    });
    assertThat(settled.refundedCents()).isLessThanOrEqualTo(settled.paidCents());
    assertThat(refundedAtGateway()).isEqualTo(settled.refundedCents());
    assertThat(offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join()).hasSize(settled.refunds().size());
  }

  @Test
  void aRefundThatFailsTransientlyIsRetriedUntilItIsMade() {
    gateway.refundFaults.add(Fault.UNAVAILABLE);
    gateway.refundFaults.add(Fault.UNAVAILABLE);
    ActorRef<Command> payment = spawn();
    pay(payment);

    accepted(refund(payment, HOST, "r1", 700, RefundKind.PARTIAL));

    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(700));
    assertThat(refunded.refunds()).singleElement().satisfies(l -> assertThat(l.status()).isEqualTo("SUCCEEDED"));
    assertThat(onlyRefund().amountCents()).isEqualTo(700);
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    // Neither failed call made a refund, so each next try used the next attempt's key.
    assertThat(gateway.keysCalled()).contains(key, key + ":2", key + ":3");
    assertThat(gateway.calls(key) + gateway.calls(key + ":2") + gateway.calls(key + ":3")).isEqualTo(3);
  }

  @Test
  void aRefundTheGatewayMadeBeforeFailingIsFoundAndNotMadeTwice() {
    gateway.refundFaults.add(Fault.APPLIED_THEN_UNAVAILABLE);
    ActorRef<Command> payment = spawn();
    pay(payment);

    accepted(refund(payment, HOST, "r1", 700, RefundKind.PARTIAL));

    PaymentView refunded = awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(700));
    assertThat(refunded.refunds()).singleElement().satisfies(l -> assertThat(l.refundId()).isEqualTo(onlyRefund().id()));
    assertThat(gateway.calls(PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1"))).isEqualTo(1);
  }

  @Test
  void aRefundRefusedForGoodEndsRejectedAndFreesItsAmount() {
    gateway.refundFaults.add(Fault.REJECTED);
    ActorRef<Command> payment = spawn();
    pay(payment);

    accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL));

    PaymentView rejected = awaitView(payment,
        v -> assertThat(v.refunds()).singleElement().satisfies(l -> assertThat(l.status()).isEqualTo("REJECTED")));
    assertThat(rejected.refundedCents()).isZero();
    assertThat(rejected.refunds().get(0).refundId()).isNull();
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    testKit.createTestProbe().expectNoMessage(RETRY.multipliedBy(3));
    assertThat(gateway.calls(key)).isEqualTo(1);
    assertThat(offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join()).isEmpty();

    // The same request again answers what became of it; a new request may refund the whole amount.
    assertThat(accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL)).refunds()).isEqualTo(rejected.refunds());
    accepted(refund(payment, HOST, "r2", TOTAL, RefundKind.PARTIAL));
    awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    assertThat(gateway.calls(key)).isEqualTo(1);
  }

  @Test
  void aRefundThatFailsAfterTheFactIsFailedNotRetriedAndNoLongerCounted() {
    ActorRef<Command> payment = spawn();
    PaymentView paid = pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL));
    awaitView(payment, v -> assertThat(v.refundedCents()).isEqualTo(TOTAL));
    Refund made = onlyRefund();
    String key = PaymentEntity.refundKey(bookingId, RefundKind.PARTIAL, "r1");
    // As Stripe reports a refund that bounced: its id, and the metadata the payments gave it.
    GatewayEvent failed = new GatewayEvent("evt_test_refund_failed", GatewayEvent.REFUND_FAILED, T0, paid.intentId(),
        made.id(), TOTAL, "USD", Map.of("booking_id", bookingId, "refund_key", key), "failed");
    GatewayEvent updated = new GatewayEvent("evt_test_refund_updated", GatewayEvent.REFUND_UPDATED, T0, paid.intentId(),
        made.id(), TOTAL, "USD", Map.of("booking_id", bookingId, "refund_key", key), "failed");

    assertThat(record(payment, failed).duplicate()).isFalse();
    assertThat(record(payment, failed).duplicate()).isTrue();
    assertThat(record(payment, updated).duplicate()).as("the twin event is kept, not applied twice").isFalse();

    PaymentView after = view(payment, ADMIN);
    assertThat(after.refunds()).singleElement().satisfies(l -> {
      assertThat(l.status()).isEqualTo("FAILED");
      assertThat(l.refundId()).isEqualTo(made.id());
    });
    assertThat(after.refundedCents()).isZero();
    testKit.createTestProbe().expectNoMessage(RETRY.multipliedBy(3));
    assertThat(gateway.calls(key)).as("not retried: an operator decides").isEqualTo(1);
    // The same request answers what became of it; what failed may be refunded again, under a new key
    // (this offline gateway, which never saw the failure, then refuses it).
    assertThat(accepted(refund(payment, HOST, "r1", TOTAL, RefundKind.PARTIAL)).refunds()).isEqualTo(after.refunds());
    assertThat(accepted(refund(payment, ADMIN, "r1-again", TOTAL, RefundKind.PARTIAL)).refunds()).hasSize(2);
    awaitView(payment, v -> assertThat(v.refunds()).extracting(RefundLine::status).containsExactlyInAnyOrder("FAILED", "REJECTED"));

    testKit.stop(payment);
    assertThat(view(spawn(), ADMIN).refunds()).extracting(RefundLine::status).containsExactlyInAnyOrder("FAILED", "REJECTED");
  }

  @Test
  void aCanceledIntentFailsTheUnpaidPaymentAndDisputeEventsMarkItDisputed() {
    ActorRef<Command> payment = spawn();
    PaymentView started = start(payment);

    record(payment, new GatewayEvent("evt_test_canceled", GatewayEvent.PAYMENT_CANCELED, T0, started.intentId(), null,
        TOTAL, "USD", Map.of("booking_id", bookingId), "canceled"));
    assertThat(view(payment, ADMIN).status()).isEqualTo("FAILED");

    record(payment, new GatewayEvent("evt_test_dispute_closed", GatewayEvent.DISPUTE_CLOSED, T0, started.intentId(),
        "ch_1", TOTAL, "USD", Map.of(), "lost"));
    assertThat(view(payment, ADMIN).disputed()).isTrue();
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void aRefundInterruptedByACrashIsMadeOnceOnRecovery() {
    gateway.refundFaults.add(Fault.LOST_RESPONSE);
    ActorRef<Command> payment = spawn();
    pay(payment);
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
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
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
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
    awaitView(payment, v -> assertThat(v.outcome()).isEqualTo("CONFIRMED"));
    // Enough recorded events to pass the snapshot interval of 50.
    for (int i = 0; i < 55; i++)
      record(payment, new GatewayEvent("evt_test_" + i, GatewayEvent.DISPUTE_CREATED, T0, started.intentId(), "ch_1", TOTAL,
          "USD", Map.of("booking_id", bookingId)));
    PaymentView before = view(payment, ADMIN);
    assertThat(before.disputed()).isTrue();
    testKit.stop(payment);

    ActorRef<Command> recovered = spawn();

    assertThat(view(recovered, ADMIN)).isEqualTo(before);
    assertThat(record(recovered, new GatewayEvent("evt_test_3", GatewayEvent.DISPUTE_CREATED, T0, started.intentId(), "ch_1",
        TOTAL, "USD", Map.of("booking_id", bookingId))).duplicate()).isTrue();
  }

  // ---------------------------------------------------------------- helpers

  private ActorRef<Command> spawn() {
    return spawn(gateway, kitchens);
  }

  private ActorRef<Command> spawn(PaymentGateway withGateway, Kitchens withKitchens) {
    return testKit.spawn(PaymentEntity.create(bookingId, withGateway, withKitchens, clock, RETRY));
  }

  private String persistenceId() {
    return PersistenceId.of(PaymentEntity.ENTITY_KEY.name(), bookingId).id();
  }

  private PaymentReply ask(ActorRef<Command> payment, java.util.function.Function<ActorRef<PaymentReply>, Command> command) {
    TestProbe<PaymentReply> probe = testKit.createTestProbe();
    payment.tell(command.apply(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  private PaymentReply refund(ActorRef<Command> payment, Actor actor, String requestKey, long amount, RefundKind kind) {
    return ask(payment, r -> new RequestRefund(actor, requestKey, amount, "test", kind, r));
  }

  private Recorded record(ActorRef<Command> payment, GatewayEvent event) {
    TestProbe<Recorded> probe = testKit.createTestProbe();
    payment.tell(new RecordGatewayEvent(event, probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  private PaymentView start(ActorRef<Command> payment) {
    return accepted(ask(payment, r -> new StartPayment(RENTER, terms, r)));
  }

  /** Starts the payment, has the renter pay through the offline provider and records its event. */
  private PaymentView pay(ActorRef<Command> payment) {
    PaymentView started = start(payment);
    GatewayEvent succeeded = offline.succeed(started.intentId()).orElseThrow();
    assertThat(record(payment, succeeded).duplicate()).isFalse();
    assertThat(view(payment, ADMIN).paidCents()).isEqualTo(TOTAL);
    return started;
  }

  private PaymentView view(ActorRef<Command> payment, Actor actor) {
    return accepted(ask(payment, r -> new GetPayment(actor, r)));
  }

  /** The payment as an admin sees it, once it satisfies {@code condition} (bounded by {@link #WAIT}). */
  private PaymentView awaitView(ActorRef<Command> payment, Consumer<PaymentView> condition) {
    TestProbe<Object> waiter = testKit.createTestProbe();
    return waiter.awaitAssert(WAIT, Duration.ofMillis(20), () -> {
      PaymentView view = view(payment, ADMIN);
      condition.accept(view);
      return view;
    });
  }

  private static PaymentView accepted(PaymentReply reply) {
    assertThat(reply).isInstanceOf(PaymentAccepted.class);
    return ((PaymentAccepted) reply).payment();
  }

  private static PaymentRejected.Code rejection(PaymentReply reply) {
    assertThat(reply).isInstanceOf(PaymentRejected.class);
    return ((PaymentRejected) reply).code();
  }

  private Intent onlyIntent() {
    List<Intent> intents = offline.listIntents(Instant.MIN, Instant.MAX).toCompletableFuture().join();
    assertThat(intents).hasSize(1);
    return intents.get(0);
  }

  private Refund onlyRefund() {
    List<Refund> refunds = offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join();
    assertThat(refunds).hasSize(1);
    return refunds.get(0);
  }

  private long refundedAtGateway() {
    return offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join().stream()
        .mapToLong(Refund::amountCents).sum();
  }

  // ---------------------------------------------------------------- test doubles

  enum Fault {
    /** Fails with {@link GatewayUnavailable} without reaching the provider. */
    UNAVAILABLE,
    /** Fails with {@link GatewayRejected} without reaching the provider. */
    REJECTED,
    /** Reaches the provider, which acts, but its answer never comes back. */
    LOST_RESPONSE,
    /** Waits until the test runs the call from {@link TestGateway#held}. */
    HELD,
    /** Reaches the provider, which acts, then fails with {@link GatewayUnavailable} (a saved 500, say). */
    APPLIED_THEN_UNAVAILABLE
  }

  /** The offline gateway behind faults queued per operation, counting calls per idempotency key. */
  static final class TestGateway implements PaymentGateway {
    final Queue<Fault> intentFaults = new ConcurrentLinkedQueue<>();
    final Queue<Fault> refundFaults = new ConcurrentLinkedQueue<>();
    final AtomicInteger refundCalls = new AtomicInteger();
    /** Calls held back by {@link Fault#HELD}: running one makes the call and answers it. */
    final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    private final PaymentGateway delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    TestGateway(PaymentGateway delegate) {
      this.delegate = delegate;
    }

    int calls(String idempotencyKey) {
      AtomicInteger n = calls.get(idempotencyKey);
      return n == null ? 0 : n.get();
    }

    Set<String> keysCalled() {
      return Set.copyOf(calls.keySet());
    }

    @Override
    public CompletionStage<Intent> createIntent(
        String idempotencyKey, long amountCents, String currency, Map<String, String> metadata) {
      count(idempotencyKey);
      return withFault(intentFaults.poll(), () -> delegate.createIntent(idempotencyKey, amountCents, currency, metadata));
    }

    @Override
    public CompletionStage<Intent> retrieveIntent(String intentId) {
      return delegate.retrieveIntent(intentId);
    }

    @Override
    public CompletionStage<Refund> createRefund(
        String idempotencyKey, String intentId, long amountCents, Map<String, String> metadata) {
      count(idempotencyKey);
      refundCalls.incrementAndGet();
      return withFault(refundFaults.poll(), () -> delegate.createRefund(idempotencyKey, intentId, amountCents, metadata));
    }

    @Override
    public CompletionStage<List<Intent>> listIntents(Instant from, Instant to) {
      return delegate.listIntents(from, to);
    }

    @Override
    public CompletionStage<List<Refund>> listRefunds(Instant from, Instant to) {
      return delegate.listRefunds(from, to);
    }

    private void count(String idempotencyKey) {
      calls.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
    }

    private <T> CompletionStage<T> withFault(Fault fault, Supplier<CompletionStage<T>> call) {
      if (fault == null) return call.get();
      return switch (fault) {
        case UNAVAILABLE -> CompletableFuture.failedFuture(
            new GatewayUnavailable("test: the provider did not answer", new IOException("connection reset")));
        case REJECTED -> CompletableFuture.failedFuture(new GatewayRejected(400, "test_refused", "test: refused for good"));
        case LOST_RESPONSE -> {
          call.get();
          yield new CompletableFuture<>();
        }
        case APPLIED_THEN_UNAVAILABLE -> call.get().thenCompose(done -> CompletableFuture.<T>failedFuture(
            new GatewayUnavailable("test: the provider acted, then answered 500", new IOException("saved 500"))));
        case HELD -> {
          CompletableFuture<T> answer = new CompletableFuture<>();
          held.add(() -> call.get().whenComplete((result, failure) -> {
            if (failure != null) answer.completeExceptionally(failure);
            else answer.complete(result);
          }));
          yield answer;
        }
      };
    }
  }

  /** A kitchen that answers from a queue of answers (then true), recording who asked. */
  static final class FakeKitchens implements Kitchens {
    final Queue<Supplier<CompletionStage<Boolean>>> answers = new ConcurrentLinkedQueue<>();
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Boolean> confirm(String kitchenId, String bookingId) {
      asked.add(kitchenId + "/" + bookingId);
      Supplier<CompletionStage<Boolean>> answer = answers.poll();
      return answer == null ? CompletableFuture.completedFuture(true) : answer.get();
    }
  }
}
