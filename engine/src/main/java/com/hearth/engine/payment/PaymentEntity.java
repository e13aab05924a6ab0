package com.hearth.engine.payment;

import com.hearth.engine.Actor;
import com.hearth.engine.CborSerializable;
import com.hearth.engine.Deadlines;
import com.hearth.engine.Role;
import com.hearth.engine.payment.PaymentGateway.GatewayRejected;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.Refund;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The money of one booking: a sharded, event-sourced actor per booking id that drives the payment
 * gateway. Every call to the gateway carries an idempotency key derived from the booking, the
 * operation and (for refunds) the request, and is recorded as requested before it is made; after
 * a crash between request and response the entity makes the same call again under the same key,
 * and the gateway answers with what the first call did. So a booking gets at most one payment
 * intent and each refund at most once, however often anything is retried.
 *
 * <p>A succeeded payment confirms the booking with its kitchen. If the kitchen can no longer
 * confirm it (the hold expired or was cancelled) the payment is refunded in full and the booking
 * stays as it was. Gateway events are deduplicated by id and accepted in any order; each is
 * acknowledged only after its fact is persisted.
 */
public final class PaymentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<PaymentEntity.Command, PaymentEntity.Event, PaymentEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Payment");
  public static final int TAG_COUNT = 4;

  public static String tagFor(String bookingId) {
    return "payment-" + Math.floorMod(bookingId.hashCode(), TAG_COUNT);
  }

  /** What the payments ask of kitchens; a port, so that tests need no sharding. */
  public interface Kitchens {
    /**
     * Confirms the booking as the platform. Completes with true when the booking is (now or
     * already) CONFIRMED or beyond, false when it can no longer be confirmed (expired or
     * cancelled); fails when the kitchen did not answer.
     */
    CompletionStage<Boolean> confirm(String kitchenId, String bookingId);
  }

  /** The booking's terms as its kitchen fixed them when the slot was held. */
  public record Terms(String bookingId, String kitchenId, String hostId, String renterId, long totalCents, String currency)
      implements CborSerializable {}

  public enum RefundKind {
    /** A cancellation's policy refund. */
    CANCELLATION,
    /** A host's or admin's refund that does not cancel. */
    PARTIAL,
    /** A payment that arrived after the hold expired or was cancelled, returned in full. */
    LATE_PAYMENT
  }

  // ---------------------------------------------------------------- protocol

  public sealed interface Command extends CborSerializable {}

  /**
   * The renter asks for (or again for) what the front end needs to pay. Dropped unapplied when it
   * arrives after its {@code deadline} (null: none): its caller was already answered 503.
   */
  public record StartPayment(Actor actor, Terms terms, ActorRef<PaymentReply> replyTo, Instant deadline) implements Command {
    public StartPayment(Actor actor, Terms terms, ActorRef<PaymentReply> replyTo) {
      this(actor, terms, replyTo, null);
    }
  }

  public record GetPayment(Actor actor, ActorRef<PaymentReply> replyTo) implements Command {}

  /** A fact from the gateway (a verified webhook, or the offline provider); acknowledged once persisted. */
  public record RecordGatewayEvent(GatewayEvent event, ActorRef<Recorded> replyTo) implements Command {}

  /**
   * A refund of {@code amountCents}. {@code requestKey} identifies the request: the same key
   * again returns the first refund. Answered once the request is persisted; the gateway call
   * follows, retried until the gateway answers for good. Dropped unapplied after its {@code deadline}.
   */
  public record RequestRefund(
      Actor actor, String requestKey, long amountCents, String reason, RefundKind kind, ActorRef<PaymentReply> replyTo,
      Instant deadline)
      implements Command {
    public RequestRefund(
        Actor actor, String requestKey, long amountCents, String reason, RefundKind kind, ActorRef<PaymentReply> replyTo) {
      this(actor, requestKey, amountCents, reason, kind, replyTo, null);
    }
  }

  private record IntentCallDone(String key, Intent intent, Throwable failure) implements Command {}

  private record RefundCallDone(String key, Refund refund, Throwable failure) implements Command {}

  /** After a create kept failing: what the gateway's listing holds for this booking, if anything. */
  private record IntentLookupDone(String key, Intent found, Throwable failure) implements Command {}

  private record RefundLookupDone(String key, Refund found, Throwable failure) implements Command {}

  private record ConfirmDone(Boolean confirmed, Throwable failure) implements Command {}

  /** Timer: retry what is pending (a confirmation, refunds) after a transient failure. */
  private record Resume() implements Command {}

  public record Recorded(String eventId, boolean duplicate) implements CborSerializable {}

  public sealed interface PaymentReply extends CborSerializable {}

  public record PaymentAccepted(PaymentView payment) implements PaymentReply {}

  public record PaymentRejected(Code code, String detail) implements PaymentReply {
    public enum Code { NOT_FOUND, FORBIDDEN, INVALID_AMOUNT, INVALID_STATE, KEY_REUSED, UNAVAILABLE, GATEWAY_REFUSED }
  }

  /** The payment as callers see it; the client secret only for the renter. */
  public record PaymentView(
      String bookingId,
      String kitchenId,
      String renterId,
      String intentId,
      String clientSecret,
      long amountCents,
      String currency,
      PaymentStatus status,
      long paidCents,
      long refundedCents,
      PaymentOutcome outcome,
      List<RefundLine> refunds,
      boolean disputed)
      implements CborSerializable {}

  // ---------------------------------------------------------------- events

  public sealed interface Event extends CborSerializable {
    String bookingId();

    Instant at();
  }

  public record IntentRequested(String bookingId, Terms terms, String key, Instant at) implements Event {}

  public record IntentCreated(String bookingId, String key, String intentId, String clientSecret, Instant at)
      implements Event {}

  public record PaymentSucceeded(String bookingId, String eventId, String intentId, long amountCents, Instant at)
      implements Event {}

  public record PaymentFailed(String bookingId, String eventId, String intentId, String reason, Instant at)
      implements Event {}

  public record BookingConfirmedByPayment(String bookingId, String kitchenId, Instant at) implements Event {}

  /** The booking could no longer be confirmed, and nothing of the payment was left to refund. */
  public record LatePaymentSettled(String bookingId, Instant at) implements Event {}

  public record RefundRequested(
      String bookingId, String key, String requestKey, long amountCents, RefundKind kind, String reason, String actorId,
      Role actorRole, Instant at)
      implements Event {}

  public record RefundSucceeded(String bookingId, String key, String refundId, long amountCents, Instant at) implements Event {}

  public record RefundRejected(String bookingId, String key, String reason, Instant at) implements Event {}

  /**
   * The gateway kept failing on this refund's key and holds no refund made under it: the next
   * call uses the next attempt's key (a gateway may replay a saved failure for a key forever).
   */
  public record RefundAttemptAbandoned(String bookingId, String key, int nextAttempt, Instant at) implements Event {}

  /**
   * A refund the gateway made, then reported failed or canceled (the renter's card or account no
   * longer takes it): the money came back to the platform, not to the renter. The line is FAILED,
   * no longer counts as refunded, and is not retried: an operator returns the money another way
   * or asks for a new refund under a new key (see docs/payments.md).
   */
  public record RefundFailed(
      String bookingId, String eventId, String key, String refundId, long amountCents, String reason, Instant at)
      implements Event {}

  /** A gateway event kept for the record (refunds seen by the gateway, disputes, others). */
  public record GatewayEventRecorded(String bookingId, String eventId, String type, long amountCents, Instant at)
      implements Event {}

  // ---------------------------------------------------------------- state

  public sealed interface State extends CborSerializable {}

  public record NoPayment() implements State {}

  /**
   * One refund. {@code key} names it for good; {@code attempt} says which gateway key is in use
   * ({@link #gatewayKey}): a key the gateway keeps failing on is given up, after making sure the
   * gateway made no refund under it, for the next attempt's.
   */
  public record RefundLine(String key, String requestKey, long amountCents, RefundKind kind, String reason, RefundLineStatus status,
      String refundId, int attempt, Instant requestedAt) implements CborSerializable {

    public String gatewayKey() {
      return attempt <= 1 ? key : key + ":" + attempt;
    }

    RefundLine with(RefundLineStatus newStatus, String newRefundId, int newAttempt) {
      return new RefundLine(key, requestKey, amountCents, kind, reason, newStatus, newRefundId, newAttempt, requestedAt);
    }
  }

  /**
   * @param outcome NONE until paid; CONFIRMING once paid and until the kitchen answered;
   *     CONFIRMED; or REFUNDED_LATE when the booking could no longer be confirmed
   */
  public record Payment(
      Terms terms,
      String intentKey,
      String intentId,
      String clientSecret,
      PaymentStatus status,
      long paidCents,
      PaymentOutcome outcome,
      Map<String, RefundLine> refunds,
      Set<String> seenEvents,
      boolean disputed,
      Instant requestedAt)
      implements State {

    public Payment {
      refunds = Map.copyOf(refunds);
      seenEvents = Set.copyOf(seenEvents);
    }

    long refundedOrPending() {
      return refunds.values().stream().filter(r -> r.status().holdsAmount())
          .mapToLong(RefundLine::amountCents).sum();
    }

    long refunded() {
      return refunds.values().stream().filter(r -> r.status() == RefundLineStatus.SUCCEEDED).mapToLong(RefundLine::amountCents).sum();
    }

    PaymentView view(Actor actor) {
      boolean renter = actor != null && actor.id().equals(terms.renterId());
      List<RefundLine> lines = refunds.values().stream()
          .sorted(java.util.Comparator.comparing(RefundLine::key)).toList();
      return new PaymentView(terms.bookingId(), terms.kitchenId(), terms.renterId(), intentId, renter ? clientSecret : null,
          terms.totalCents(), terms.currency(), status, paidCents, refunded(), outcome, lines, disputed);
    }

    Payment with(PaymentStatus newStatus, long paid, PaymentOutcome newOutcome) {
      return new Payment(terms, intentKey, intentId, clientSecret, newStatus, paid, newOutcome, refunds, seenEvents, disputed, requestedAt);
    }

    Payment seen(String eventId) {
      if (eventId == null) return this;
      Set<String> next = new HashSet<>(seenEvents);
      next.add(eventId);
      return new Payment(terms, intentKey, intentId, clientSecret, status, paidCents, outcome, refunds, next, disputed, requestedAt);
    }

    Payment withRefund(RefundLine line) {
      Map<String, RefundLine> next = new LinkedHashMap<>(refunds);
      next.put(line.key(), line);
      return new Payment(terms, intentKey, intentId, clientSecret, status, paidCents, outcome, next, seenEvents, disputed, requestedAt);
    }
  }

  // ---------------------------------------------------------------- construction

  public static void init(ActorSystem<?> system, PaymentGateway gateway, Kitchens kitchens, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), gateway, kitchens, clock)));
  }

  public static Behavior<Command> create(String bookingId, PaymentGateway gateway, Kitchens kitchens, Clock clock) {
    return create(bookingId, gateway, kitchens, clock, RETRY_AFTER);
  }

  /** As {@link #create(String, PaymentGateway, Kitchens, Clock)}, retrying after {@code retryAfter}: tests wait less. */
  static Behavior<Command> create(
      String bookingId, PaymentGateway gateway, Kitchens kitchens, Clock clock, Duration retryAfter) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new PaymentEntity(bookingId, ctx, timers, gateway, kitchens, clock, retryAfter)));
  }

  /** The idempotency key of the booking's one payment intent. */
  public static String intentKey(String bookingId) {
    return "hearth:" + bookingId + ":intent";
  }

  /** The key of the booking's intent at attempt {@code attempt} (the first is {@link #intentKey(String)}). */
  public static String intentKey(String bookingId, int attempt) {
    return attempt <= 1 ? intentKey(bookingId) : intentKey(bookingId) + ":" + attempt;
  }

  static int attemptOf(String bookingId, String key) {
    return key.equals(intentKey(bookingId)) ? 1 : Integer.parseInt(key.substring(intentKey(bookingId).length() + 1));
  }

  /** How far around a request the gateway's listing is searched for what the request may have made. */
  static final Duration LOOKUP_MARGIN = Duration.ofMinutes(10);

  /** The idempotency key of a refund: one per booking and request. */
  public static String refundKey(String bookingId, RefundKind kind, String requestKey) {
    return "hearth:" + bookingId + ":refund:" + kind.name().toLowerCase() + ":" + requestKey;
  }

  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final String bookingId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final PaymentGateway gateway;
  private final Kitchens kitchens;
  private final Clock clock;
  private final Duration retryAfter;
  /** Callers waiting for the intent; in memory only: after a crash they retry, with the same result. */
  private final List<ActorRef<PaymentReply>> waitingForIntent = new ArrayList<>();
  private boolean intentCallInFlight;
  private boolean confirmInFlight;
  private final Set<String> refundCallsInFlight = new HashSet<>();

  private PaymentEntity(String bookingId, ActorContext<Command> context, TimerScheduler<Command> timers,
      PaymentGateway gateway, Kitchens kitchens, Clock clock, Duration retryAfter) {
    super(PersistenceId.of(ENTITY_KEY.name(), bookingId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.bookingId = bookingId;
    this.context = context;
    this.timers = timers;
    this.gateway = gateway;
    this.kitchens = kitchens;
    this.clock = clock;
    this.retryAfter = retryAfter;
  }

  @Override
  public State emptyState() {
    return new NoPayment();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(bookingId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::resumePending).build();
  }

  /** After recovery or a transient failure: make again every call whose answer was never recorded. */
  private void resumePending(State state) {
    if (!(state instanceof Payment p)) return;
    if (p.intentId() == null) callCreateIntent(p);
    if (p.outcome() == PaymentOutcome.CONFIRMING) confirmWithKitchen(p);
    p.refunds().values().stream().filter(r -> r.status() == RefundLineStatus.REQUESTED).forEach(r -> callRefund(p, r));
  }

  // ---------------------------------------------------------------- commands

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forStateType(NoPayment.class)
        .onCommand(StartPayment.class, this::start)
        .onCommand(GetPayment.class, (s, c) -> Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.NOT_FOUND, "no payment for this booking")))
        .onCommand(RecordGatewayEvent.class, this::unknownBookingEvent)
        .onCommand(RequestRefund.class, (s, c) -> Effect().reply(c.replyTo(),
            rejected(PaymentRejected.Code.INVALID_STATE, "nothing was paid for this booking")))
        .onAnyCommand(c -> Effect().noReply());
    builder.forStateType(Payment.class)
        .onCommand(StartPayment.class, this::startAgain)
        .onCommand(GetPayment.class, (s, c) -> canSee(s, c.actor())
            ? Effect().reply(c.replyTo(), new PaymentAccepted(s.view(c.actor())))
            : Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.NOT_FOUND, "no payment for this booking")))
        .onCommand(IntentCallDone.class, this::intentCallDone)
        .onCommand(IntentLookupDone.class, this::intentLookupDone)
        .onCommand(RefundLookupDone.class, this::refundLookupDone)
        .onCommand(RecordGatewayEvent.class, this::gatewayEvent)
        .onCommand(ConfirmDone.class, this::confirmDone)
        .onCommand(RequestRefund.class, this::refund)
        .onCommand(RefundCallDone.class, this::refundCallDone)
        .onCommand(Resume.class, (s, c) -> {
          resumePending(s);
          return Effect().noReply();
        });
    return builder.build();
  }

  private static boolean canSee(Payment p, Actor actor) {
    return actor.id().equals(p.terms().renterId()) || actor.id().equals(p.terms().hostId()) || actor.isAdmin()
        || actor.has(Role.OPERATOR) || actor.has(Role.SYSTEM);
  }

  private static boolean mayRefund(Payment p, Actor actor) {
    return actor.isAdmin() || actor.id().equals(p.terms().hostId()) || actor.has(Role.SYSTEM);
  }

  /** A command past its deadline: not applied and not answered (its caller already had a 503). */
  private ReplyEffect<Event, State> dropLate(String what) {
    context.getLog().info("payment {}: dropped a {} that arrived after its deadline", bookingId, what);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> start(NoPayment state, StartPayment c) {
    if (Deadlines.expired(c.deadline(), clock.instant())) return dropLate("payment start");
    if (!c.actor().id().equals(c.terms().renterId()))
      return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.NOT_FOUND, "no such booking"));
    waitingForIntent.add(c.replyTo());
    return Effect()
        .persist(new IntentRequested(bookingId, c.terms(), intentKey(bookingId), clock.instant()))
        .thenRun(s -> callCreateIntent((Payment) s))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> startAgain(Payment state, StartPayment c) {
    if (Deadlines.expired(c.deadline(), clock.instant())) return dropLate("payment start");
    if (!c.actor().id().equals(state.terms().renterId()))
      return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.NOT_FOUND, "no such booking"));
    if (state.intentId() != null) return Effect().reply(c.replyTo(), new PaymentAccepted(state.view(c.actor())));
    waitingForIntent.add(c.replyTo());
    callCreateIntent(state);
    return Effect().noReply();
  }

  private void callCreateIntent(Payment p) {
    if (intentCallInFlight) return;
    intentCallInFlight = true;
    Terms t = p.terms();
    context.pipeToSelf(
        gateway.createIntent(p.intentKey(), t.totalCents(), t.currency(),
            Map.of("booking_id", t.bookingId(), "kitchen_id", t.kitchenId(), "renter_id", t.renterId())),
        (intent, failure) -> new IntentCallDone(p.intentKey(), intent, unwrap(failure)));
  }

  private ReplyEffect<Event, State> intentCallDone(Payment state, IntentCallDone c) {
    if (c.failure() instanceof GatewayRejected r) {
      intentCallInFlight = false;
      context.getLog().warn("payment intent for {} refused: {}", bookingId, r.toString());
      return refuseWaiters(rejected(PaymentRejected.Code.GATEWAY_REFUSED, "the payment provider refused: " + r.getMessage()));
    }
    if (c.failure() != null) {
      // The gateway may have made the intent and then failed (and replay that failure for this key
      // forever): look for it before anything else is tried.
      context.getLog().warn("payment intent for {} not confirmed by the gateway ({}); looking it up", bookingId, c.failure().toString());
      Instant now = clock.instant();
      context.pipeToSelf(gateway.listIntents(state.requestedAt().minus(LOOKUP_MARGIN), now.plus(LOOKUP_MARGIN)),
          (intents, failure) -> new IntentLookupDone(c.key(), intents == null ? null : intents.stream()
              .filter(i -> bookingId.equals(i.metadata().get("booking_id"))).findFirst().orElse(null), unwrap(failure)));
      return Effect().noReply();
    }
    intentCallInFlight = false;
    if (state.intentId() != null) return answerWaiters(state);
    return Effect()
        .persist(new IntentCreated(bookingId, c.key(), c.intent().id(), c.intent().clientSecret(), clock.instant()))
        .thenRun(s -> answerWaiters((Payment) s))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> intentLookupDone(Payment state, IntentLookupDone c) {
    intentCallInFlight = false;
    if (state.intentId() != null) return answerWaiters(state);
    if (c.found() != null) {
      context.getLog().info("payment intent {} for {} found at the gateway; adopted", c.found().id(), bookingId);
      return Effect()
          .persist(new IntentCreated(bookingId, c.key(), c.found().id(), c.found().clientSecret(), clock.instant()))
          .thenRun(s -> answerWaiters((Payment) s))
          .thenNoReply();
    }
    PaymentRejected unavailable = rejected(PaymentRejected.Code.UNAVAILABLE, "the payment provider did not answer; retry shortly");
    if (c.failure() != null || !c.key().equals(state.intentKey())) return refuseWaiters(unavailable);
    // Nothing was made under this key: the next request uses the next attempt's key.
    String next = intentKey(bookingId, attemptOf(bookingId, c.key()) + 1);
    return Effect()
        .persist(new IntentRequested(bookingId, state.terms(), next, clock.instant()))
        .thenRun(s -> refuseWaiters(unavailable))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> refuseWaiters(PaymentRejected answer) {
    waitingForIntent.forEach(w -> w.tell(answer));
    waitingForIntent.clear();
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> answerWaiters(Payment state) {
    Actor renter = new Actor(state.terms().renterId(), Set.of(Role.RENTER));
    waitingForIntent.forEach(w -> w.tell(new PaymentAccepted(state.view(renter))));
    waitingForIntent.clear();
    return Effect().noReply();
  }

  // ---------------------------------------------------------------- gateway events

  private ReplyEffect<Event, State> unknownBookingEvent(NoPayment state, RecordGatewayEvent c) {
    // An event about a booking this node never asked to pay: keep it, so that it is not lost.
    GatewayEvent e = c.event();
    return Effect()
        .persist(new GatewayEventRecorded(bookingId, e.eventId(), e.type(), e.amountCents(), clock.instant()))
        .thenReply(c.replyTo(), s -> new Recorded(e.eventId(), false));
  }

  private ReplyEffect<Event, State> gatewayEvent(Payment state, RecordGatewayEvent c) {
    GatewayEvent e = c.event();
    if (state.seenEvents().contains(e.eventId())) return Effect().reply(c.replyTo(), new Recorded(e.eventId(), true));
    Instant now = clock.instant();
    boolean ours = e.intentId() != null && e.intentId().equals(state.intentId());
    if (ours && e.type().equals(GatewayEvent.PAYMENT_SUCCEEDED) && state.paidCents() == 0) {
      return Effect()
          .persist(new PaymentSucceeded(bookingId, e.eventId(), e.intentId(), e.amountCents(), now))
          .thenRun(s -> confirmWithKitchen((Payment) s))
          .thenReply(c.replyTo(), s -> new Recorded(e.eventId(), false));
    }
    if (ours && e.type().equals(GatewayEvent.PAYMENT_FAILED) && state.paidCents() == 0) {
      return Effect()
          .persist(new PaymentFailed(bookingId, e.eventId(), e.intentId(), "the payment failed; the renter may try again until the hold expires", now))
          .thenReply(c.replyTo(), s -> new Recorded(e.eventId(), false));
    }
    if (ours && e.type().equals(GatewayEvent.PAYMENT_CANCELED) && state.paidCents() == 0) {
      return Effect()
          .persist(new PaymentFailed(bookingId, e.eventId(), e.intentId(), "the payment intent was canceled at the gateway", now))
          .thenReply(c.replyTo(), s -> new Recorded(e.eventId(), false));
    }
    RefundLine failed = e.refundFailed() ? refundNamedBy(state, e) : null;
    if (failed != null && failed.status().holdsAmount()) {
      context.getLog().error("refund {} of booking {} ({} {}, gateway refund {}) FAILED at the gateway after it was made"
          + " (event {}, status {}): the renter has not received it; an operator must return it another way or refund"
          + " again under a new key", failed.key(), bookingId, failed.amountCents(), state.terms().currency(),
          e.refundOrChargeId(), e.eventId(), e.status());
      return Effect()
          .persist(new RefundFailed(bookingId, e.eventId(), failed.key(), e.refundOrChargeId(), failed.amountCents(),
              "the gateway reports the refund " + (e.status() == null ? "failed" : e.status()) + " (" + e.type() + ")", now))
          .thenReply(c.replyTo(), s -> new Recorded(e.eventId(), false));
    }
    // A success already recorded, a failure after success, refunds and disputes: kept for the record.
    return Effect()
        .persist(new GatewayEventRecorded(bookingId, e.eventId(), e.type(), e.amountCents(), now))
        .thenReply(c.replyTo(), s -> new Recorded(e.eventId(), false));
  }

  /** The refund line a refund event names: by the gateway's refund id, else by the key the payments put in its metadata. */
  private static RefundLine refundNamedBy(Payment state, GatewayEvent e) {
    return state.refunds().values().stream()
        .filter(r -> (e.refundOrChargeId() != null && e.refundOrChargeId().equals(r.refundId()))
            || r.key().equals(e.metadata().get("refund_key")))
        .findFirst().orElse(null);
  }

  private void confirmWithKitchen(Payment p) {
    if (confirmInFlight) return;
    confirmInFlight = true;
    context.pipeToSelf(kitchens.confirm(p.terms().kitchenId(), bookingId),
        (confirmed, failure) -> new ConfirmDone(confirmed, unwrap(failure)));
  }

  private ReplyEffect<Event, State> confirmDone(Payment state, ConfirmDone c) {
    confirmInFlight = false;
    if (state.outcome() != PaymentOutcome.CONFIRMING) return Effect().noReply();
    Instant now = clock.instant();
    if (c.failure() != null) {
      context.getLog().warn("kitchen did not confirm booking {} yet ({}); retrying in {}", bookingId, c.failure(), retryAfter);
      timers.startSingleTimer(new Resume(), retryAfter);
      return Effect().noReply();
    }
    if (c.confirmed()) return Effect().persist(new BookingConfirmedByPayment(bookingId, state.terms().kitchenId(), now)).thenNoReply();
    long amount = state.paidCents() - state.refundedOrPending();
    if (amount <= 0)  // partial refunds returned everything while the kitchen was being asked
      return Effect().persist(new LatePaymentSettled(bookingId, now)).thenNoReply();
    RefundRequested late = new RefundRequested(bookingId, refundKey(bookingId, RefundKind.LATE_PAYMENT, "full"), "full",
        amount, RefundKind.LATE_PAYMENT, "the hold had expired or was cancelled when the payment arrived",
        Actor.SYSTEM.id(), Role.SYSTEM, now);
    context.getLog().info("payment for {} arrived after its hold ended; refunding {} in full", bookingId, amount);
    return Effect().persist(late).thenRun(s -> callRefund((Payment) s, ((Payment) s).refunds().get(late.key()))).thenNoReply();
  }

  // ---------------------------------------------------------------- refunds

  private ReplyEffect<Event, State> refund(Payment state, RequestRefund c) {
    if (Deadlines.expired(c.deadline(), clock.instant())) return dropLate("refund request");
    if (!canSee(state, c.actor())) return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.NOT_FOUND, "no such booking"));
    if (!mayRefund(state, c.actor()))
      return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.FORBIDDEN, "only the kitchen's host, admins and the platform refund"));
    String key = refundKey(bookingId, c.kind(), c.requestKey());
    RefundLine existing = state.refunds().get(key);
    if (existing != null) {
      if (existing.amountCents() != c.amountCents() && c.kind() == RefundKind.PARTIAL)
        return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.KEY_REUSED,
            "this idempotency key was already used for a refund of " + existing.amountCents()));
      return Effect().reply(c.replyTo(), new PaymentAccepted(state.view(c.actor())));
    }
    if (state.paidCents() == 0)
      return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.INVALID_STATE, "nothing was paid for this booking"));
    long refundable = state.paidCents() - state.refundedOrPending();
    // A cancellation refunds what its policy says, but never more than is left of the payment.
    long amount = c.kind() == RefundKind.CANCELLATION ? Math.min(c.amountCents(), refundable) : c.amountCents();
    if (amount <= 0 && c.kind() == RefundKind.CANCELLATION)
      return Effect().reply(c.replyTo(), new PaymentAccepted(state.view(c.actor())));
    if (amount <= 0 || amount > refundable)
      return Effect().reply(c.replyTo(), rejected(PaymentRejected.Code.INVALID_AMOUNT,
          "a refund must be between 1 and the " + refundable + " not yet refunded"));
    Role role = c.actor().isAdmin() ? Role.ADMIN : c.actor().id().equals(state.terms().hostId()) ? Role.HOST : Role.SYSTEM;
    RefundRequested requested = new RefundRequested(bookingId, key, c.requestKey(), amount, c.kind(), c.reason(),
        c.actor().id(), role, clock.instant());
    return Effect()
        .persist(requested)
        .thenRun(s -> callRefund((Payment) s, ((Payment) s).refunds().get(key)))
        .thenReply(c.replyTo(), s -> new PaymentAccepted(((Payment) s).view(c.actor())));
  }

  private void callRefund(Payment p, RefundLine line) {
    if (!refundCallsInFlight.add(line.key())) return;
    context.pipeToSelf(
        gateway.createRefund(line.gatewayKey(), p.intentId(), line.amountCents(),
            Map.of("booking_id", bookingId, "kind", line.kind().name().toLowerCase(), "refund_key", line.key())),
        (refund, failure) -> new RefundCallDone(line.key(), refund, unwrap(failure)));
  }

  private ReplyEffect<Event, State> refundCallDone(Payment state, RefundCallDone c) {
    refundCallsInFlight.remove(c.key());
    RefundLine line = state.refunds().get(c.key());
    if (line == null || line.status() != RefundLineStatus.REQUESTED) return Effect().noReply();
    Instant now = clock.instant();
    if (c.failure() instanceof GatewayRejected r)
      return Effect().persist(new RefundRejected(bookingId, c.key(), r.getMessage(), now)).thenNoReply();
    if (c.failure() != null) {
      context.getLog().warn("refund {} not confirmed by the gateway ({}); looking it up", c.key(), c.failure().toString());
      refundCallsInFlight.add(c.key());
      context.pipeToSelf(gateway.listRefunds(line.requestedAt().minus(LOOKUP_MARGIN), now.plus(LOOKUP_MARGIN)),
          (refunds, failure) -> new RefundLookupDone(c.key(), refunds == null ? null : refunds.stream()
              .filter(r -> c.key().equals(r.metadata().get("refund_key"))).findFirst().orElse(null), unwrap(failure)));
      return Effect().noReply();
    }
    return recordMade(c.key(), c.refund(), now);
  }

  /** A refund the gateway holds: failed or canceled frees its amount; anything else is on its way to the renter. */
  private ReplyEffect<Event, State> recordMade(String key, Refund made, Instant now) {
    if (made.status() == PaymentGateway.RefundStatus.FAILED || made.status() == PaymentGateway.RefundStatus.CANCELED)
      return Effect().persist(new RefundRejected(bookingId, key, "the gateway answered " + made.status(), now)).thenNoReply();
    return Effect().persist(new RefundSucceeded(bookingId, key, made.id(), made.amountCents(), now)).thenNoReply();
  }

  private ReplyEffect<Event, State> refundLookupDone(Payment state, RefundLookupDone c) {
    refundCallsInFlight.remove(c.key());
    RefundLine line = state.refunds().get(c.key());
    if (line == null || line.status() != RefundLineStatus.REQUESTED) return Effect().noReply();
    Instant now = clock.instant();
    if (c.found() != null) return recordMade(c.key(), c.found(), now);
    timers.startSingleTimer(new Resume(), retryAfter);
    if (c.failure() != null) {
      context.getLog().warn("refund {} could not be looked up ({}); retrying in {}", c.key(), c.failure().toString(), retryAfter);
      return Effect().noReply();
    }
    context.getLog().warn("refund {} not made under attempt {}; retrying in {} with the next attempt's key", c.key(),
        line.attempt(), retryAfter);
    return Effect().persist(new RefundAttemptAbandoned(bookingId, c.key(), line.attempt() + 1, now)).thenNoReply();
  }

  private static PaymentRejected rejected(PaymentRejected.Code code, String detail) {
    return new PaymentRejected(code, detail);
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  // ---------------------------------------------------------------- events

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> {
      if (event instanceof IntentRequested e)
        return new Payment(e.terms(), e.key(), null, null, PaymentStatus.AWAITING_INTENT, 0, PaymentOutcome.NONE, Map.of(), Set.of(), false,
            state instanceof Payment earlier ? earlier.requestedAt() : e.at());
      if (state instanceof NoPayment) return state; // a gateway event for a booking never paid here
      Payment p = (Payment) state;
      if (event instanceof IntentCreated e)
        return new Payment(p.terms(), p.intentKey(), e.intentId(), e.clientSecret(), PaymentStatus.REQUIRES_PAYMENT, 0, PaymentOutcome.NONE,
            p.refunds(), p.seenEvents(), p.disputed(), p.requestedAt());
      if (event instanceof PaymentSucceeded e) return p.with(PaymentStatus.SUCCEEDED, e.amountCents(), PaymentOutcome.CONFIRMING).seen(e.eventId());
      if (event instanceof PaymentFailed e) return p.with(PaymentStatus.FAILED, 0, p.outcome()).seen(e.eventId());
      if (event instanceof BookingConfirmedByPayment) return p.with(p.status(), p.paidCents(), PaymentOutcome.CONFIRMED);
      if (event instanceof LatePaymentSettled) return p.with(p.status(), p.paidCents(), PaymentOutcome.REFUNDED_LATE);
      if (event instanceof RefundRequested e) {
        Payment next = p.withRefund(
            new RefundLine(e.key(), e.requestKey(), e.amountCents(), e.kind(), e.reason(), RefundLineStatus.REQUESTED, null, 1, e.at()));
        return e.kind() == RefundKind.LATE_PAYMENT ? next.with(next.status(), next.paidCents(), PaymentOutcome.REFUNDED_LATE) : next;
      }
      if (event instanceof RefundSucceeded e) {
        RefundLine l = p.refunds().get(e.key());
        return p.withRefund(l.with(RefundLineStatus.SUCCEEDED, e.refundId(), l.attempt()));
      }
      if (event instanceof RefundRejected e) {
        RefundLine l = p.refunds().get(e.key());
        return p.withRefund(l.with(RefundLineStatus.REJECTED, null, l.attempt()));
      }
      if (event instanceof RefundAttemptAbandoned e) {
        RefundLine l = p.refunds().get(e.key());
        return p.withRefund(l.with(l.status(), null, e.nextAttempt()));
      }
      if (event instanceof RefundFailed e) {
        RefundLine l = p.refunds().get(e.key());
        return p.withRefund(l.with(RefundLineStatus.FAILED, e.refundId() != null ? e.refundId() : l.refundId(), l.attempt())).seen(e.eventId());
      }
      if (event instanceof GatewayEventRecorded e) {
        Payment seen = p.seen(e.eventId());
        if (!GatewayEvent.isDispute(e.type())) return seen;
        return new Payment(seen.terms(), seen.intentKey(), seen.intentId(), seen.clientSecret(), seen.status(),
            seen.paidCents(), seen.outcome(), seen.refunds(), seen.seenEvents(), true, seen.requestedAt());
      }
      throw new IllegalStateException("unexpected event " + event.getClass().getSimpleName());
    };
  }
}
