package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.payment.PaymentEntity.Command;
import com.hearth.engine.payment.PaymentEntity.GetPayment;
import com.hearth.engine.payment.PaymentEntity.Kitchens;
import com.hearth.engine.payment.PaymentEntity.PaymentAccepted;
import com.hearth.engine.payment.PaymentEntity.PaymentRejected;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.PaymentView;
import com.hearth.engine.payment.PaymentEntity.RecordGatewayEvent;
import com.hearth.engine.payment.PaymentEntity.Recorded;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the payment entity's tests share. The entity runs as in production: spawned in an actor
 * system whose journal and snapshot store are the persistence test kit's (in memory, every event
 * and snapshot serialized), driving the offline gateway through a wrapper that counts calls per
 * idempotency key and injects faults, and asking a fake kitchen whose answers each test decides.
 * Restarts are real: the entity is stopped and a new incarnation recovers from the journal.
 *
 * <p>The booking costs 5413 USD cents (the two-hour booking of KitchenEntityFixture). The entity
 * retries after {@link #RETRY} instead of its production 5 s, so no test waits long.
 */
abstract class PaymentEntityFixture {

  static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  static final Duration RETRY = Duration.ofMillis(100);
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long TOTAL = 5413;

  static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  static final Actor OTHER_RENTER = new Actor("renter-2", Set.of(Role.RENTER));
  static final Actor HOST = new Actor("host-1", Set.of(Role.HOST));
  static final Actor OTHER_HOST = new Actor("host-2", Set.of(Role.HOST));
  static final Actor ADMIN = new Actor("admin-1", Set.of(Role.ADMIN));

  static ActorTestKit testKit;
  static PersistenceTestKit journal;
  static SnapshotTestKit snapshots;

  final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  String bookingId;
  Terms terms;
  OfflineGateway offline;
  TestGateway gateway;
  FakeKitchens kitchens;

  @BeforeAll
  static void startActorSystem() {
    testKit =
        ActorTestKit.create(
            PersistenceTestKitPlugin.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()));
    journal = PersistenceTestKit.create(testKit.system());
    snapshots = SnapshotTestKit.create(testKit.system());
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

  // ---------------------------------------------------------------- helpers

  /**
   * Stops this incarnation and starts the next, which recovers from the journal and resumes what is
   * pending.
   */
  ActorRef<Command> restart(ActorRef<Command> payment) {
    testKit.stop(payment);
    return spawn();
  }

  ActorRef<Command> spawn() {
    return spawn(gateway, kitchens);
  }

  ActorRef<Command> spawn(PaymentGateway withGateway, Kitchens withKitchens) {
    return testKit.spawn(PaymentEntity.create(bookingId, withGateway, withKitchens, clock, RETRY));
  }

  String persistenceId() {
    return PersistenceId.of(PaymentEntity.ENTITY_KEY.name(), bookingId).id();
  }

  PaymentReply ask(
      ActorRef<Command> payment,
      java.util.function.Function<ActorRef<PaymentReply>, Command> command) {
    TestProbe<PaymentReply> probe = testKit.createTestProbe();
    payment.tell(command.apply(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  PaymentReply refund(
      ActorRef<Command> payment, Actor actor, String requestKey, long amount, RefundKind kind) {
    return ask(payment, r -> new RequestRefund(actor, requestKey, amount, "test", kind, r));
  }

  Recorded record(ActorRef<Command> payment, GatewayEvent event) {
    TestProbe<Recorded> probe = testKit.createTestProbe();
    payment.tell(new RecordGatewayEvent(event, probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  PaymentView start(ActorRef<Command> payment) {
    return accepted(ask(payment, r -> new StartPayment(RENTER, terms, r)));
  }

  /** Starts the payment, has the renter pay through the offline provider and records its event. */
  PaymentView pay(ActorRef<Command> payment) {
    PaymentView started = start(payment);
    GatewayEvent succeeded = offline.succeed(started.intentId()).orElseThrow();
    assertThat(record(payment, succeeded).duplicate()).isFalse();
    assertThat(view(payment, ADMIN).paidCents()).isEqualTo(TOTAL);
    return started;
  }

  PaymentView view(ActorRef<Command> payment, Actor actor) {
    return accepted(ask(payment, r -> new GetPayment(actor, r)));
  }

  /**
   * The payment as an admin sees it, once it satisfies {@code condition} (bounded by {@link
   * #WAIT}).
   */
  PaymentView awaitView(ActorRef<Command> payment, Consumer<PaymentView> condition) {
    TestProbe<Object> waiter = testKit.createTestProbe();
    return waiter.awaitAssert(
        WAIT,
        Duration.ofMillis(20),
        () -> {
          PaymentView view = view(payment, ADMIN);
          condition.accept(view);
          return view;
        });
  }

  static PaymentView accepted(PaymentReply reply) {
    assertThat(reply).isInstanceOf(PaymentAccepted.class);
    return ((PaymentAccepted) reply).payment();
  }

  static Rejection.Code rejection(PaymentReply reply) {
    assertThat(reply).isInstanceOf(PaymentRejected.class);
    return ((PaymentRejected) reply).code();
  }

  Intent onlyIntent() {
    List<Intent> intents =
        offline.listIntents(Instant.MIN, Instant.MAX).toCompletableFuture().join();
    assertThat(intents).hasSize(1);
    return intents.get(0);
  }

  Refund onlyRefund() {
    List<Refund> refunds =
        offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join();
    assertThat(refunds).hasSize(1);
    return refunds.get(0);
  }

  long refundedAtGateway() {
    return offline.listRefunds(Instant.MIN, Instant.MAX).toCompletableFuture().join().stream()
        .mapToLong(Refund::amountCents)
        .sum();
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
    /**
     * Reaches the provider, which acts, then fails with {@link GatewayUnavailable} (a saved 500,
     * say).
     */
    APPLIED_THEN_UNAVAILABLE
  }

  /** The offline gateway behind faults queued per operation, counting calls per idempotency key. */
  static final class TestGateway implements PaymentGateway {
    final Queue<Fault> intentFaults = new ConcurrentLinkedQueue<>();
    final Queue<Fault> refundFaults = new ConcurrentLinkedQueue<>();
    final AtomicInteger refundCalls = new AtomicInteger();

    /** Calls held back by {@link Fault#HELD}: running one makes the call and answers it. */
    final Queue<Runnable> held = new ConcurrentLinkedQueue<>();

    final PaymentGateway delegate;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

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
      return withFault(
          intentFaults.poll(),
          () -> delegate.createIntent(idempotencyKey, amountCents, currency, metadata));
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
      return withFault(
          refundFaults.poll(),
          () -> delegate.createRefund(idempotencyKey, intentId, amountCents, metadata));
    }

    @Override
    public CompletionStage<List<Intent>> listIntents(Instant from, Instant to) {
      return delegate.listIntents(from, to);
    }

    @Override
    public CompletionStage<List<Refund>> listRefunds(Instant from, Instant to) {
      return delegate.listRefunds(from, to);
    }

    void count(String idempotencyKey) {
      calls.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
    }

    <T> CompletionStage<T> withFault(Fault fault, Supplier<CompletionStage<T>> call) {
      if (fault == null) return call.get();
      return switch (fault) {
        case UNAVAILABLE ->
            CompletableFuture.failedFuture(
                new GatewayUnavailable(
                    "test: the provider did not answer", new IOException("connection reset")));
        case REJECTED ->
            CompletableFuture.failedFuture(
                new GatewayRejected(400, "test_refused", "test: refused for good"));
        case LOST_RESPONSE -> {
          call.get();
          yield new CompletableFuture<>();
        }
        case APPLIED_THEN_UNAVAILABLE ->
            call.get()
                .thenCompose(
                    done ->
                        CompletableFuture.<T>failedFuture(
                            new GatewayUnavailable(
                                "test: the provider acted, then answered 500",
                                new IOException("saved 500"))));
        case HELD -> {
          CompletableFuture<T> answer = new CompletableFuture<>();
          held.add(
              () ->
                  call.get()
                      .whenComplete(
                          (result, failure) -> {
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
