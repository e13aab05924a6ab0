package com.hearth.engine.payment;

import com.hearth.engine.Actor;
import com.hearth.engine.CborSerializable;
import com.hearth.engine.Deadlines;
import com.hearth.engine.EventSourcing;
import com.hearth.engine.Rejection;
import com.hearth.engine.RequestIds;
import com.hearth.engine.Role;
import com.hearth.engine.payment.PaymentGateway.GatewayRejected;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.Refund;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * operation and (for refunds) the request, and is recorded as requested before it is made; after a
 * crash between request and response the entity makes the same call again under the same key, and
 * the gateway answers with what the first call did. So a booking gets at most one payment intent
 * and each refund at most once, however often anything is retried.
 *
 * <p>A succeeded payment confirms the booking with its kitchen. If the kitchen can no longer
 * confirm it (the hold expired or was cancelled) the payment is refunded in full and the booking
 * stays as it was. Gateway events are deduplicated by id and accepted in any order; each is
 * acknowledged only after its fact is persisted.
 *
 * <p>What each command and answer decides, and how each event changes the payment, is {@link
 * PaymentDecisions}'; this class reads the clock, calls the gateway and the kitchen, keeps callers
 * waiting for the intent, retries, persists and replies.
 */
public final class PaymentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        PaymentEntity.Command, PaymentEntity.Event, PaymentEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Payment");

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
  public record Terms(
      String bookingId,
      String kitchenId,
      String hostId,
      String renterId,
      long totalCents,
      String currency)
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
  public record StartPayment(
      Actor actor, Terms terms, ActorRef<PaymentReply> replyTo, Instant deadline, String requestId)
      implements Command, RequestIds.Traced {
    public StartPayment(
        Actor actor, Terms terms, ActorRef<PaymentReply> replyTo, Instant deadline) {
      this(actor, terms, replyTo, deadline, null);
    }

    public StartPayment(Actor actor, Terms terms, ActorRef<PaymentReply> replyTo) {
      this(actor, terms, replyTo, null);
    }
  }

  public record GetPayment(Actor actor, ActorRef<PaymentReply> replyTo) implements Command {}

  /**
   * A fact from the gateway (a verified webhook, or the offline provider); acknowledged once
   * persisted.
   */
  public record RecordGatewayEvent(GatewayEvent event, ActorRef<Recorded> replyTo, String requestId)
      implements Command, RequestIds.Traced {
    public RecordGatewayEvent(GatewayEvent event, ActorRef<Recorded> replyTo) {
      this(event, replyTo, null);
    }
  }

  /**
   * A refund of {@code amountCents}. {@code requestKey} identifies the request: the same key again
   * returns the first refund. Answered once the request is persisted; the gateway call follows,
   * retried until the gateway answers for good. Dropped unapplied after its {@code deadline}.
   */
  public record RequestRefund(
      Actor actor,
      String requestKey,
      long amountCents,
      String reason,
      RefundKind kind,
      ActorRef<PaymentReply> replyTo,
      Instant deadline,
      String requestId)
      implements Command, RequestIds.Traced {
    public RequestRefund(
        Actor actor,
        String requestKey,
        long amountCents,
        String reason,
        RefundKind kind,
        ActorRef<PaymentReply> replyTo,
        Instant deadline) {
      this(actor, requestKey, amountCents, reason, kind, replyTo, deadline, null);
    }

    public RequestRefund(
        Actor actor,
        String requestKey,
        long amountCents,
        String reason,
        RefundKind kind,
        ActorRef<PaymentReply> replyTo) {
      this(actor, requestKey, amountCents, reason, kind, replyTo, null);
    }
  }

  // The gateway's answers carry the id of the request that led to the call (null: none), so the
  // entity's lines about them carry it too. Local messages (pipeToSelf): never serialized.

  private record IntentCallDone(String key, Intent intent, Throwable failure, String requestId)
      implements Command, RequestIds.Traced {}

  private record RefundCallDone(String key, Refund refund, Throwable failure, String requestId)
      implements Command, RequestIds.Traced {}

  /**
   * After a create kept failing: what the gateway's listing holds for this booking, if anything.
   */
  private record IntentLookupDone(String key, Intent found, Throwable failure, String requestId)
      implements Command, RequestIds.Traced {}

  private record RefundLookupDone(String key, Refund found, Throwable failure, String requestId)
      implements Command, RequestIds.Traced {}

  private record ConfirmDone(Boolean confirmed, Throwable failure, String requestId)
      implements Command, RequestIds.Traced {}

  /** Timer: retry what is pending (a confirmation, refunds) after a transient failure. */
  private record Resume() implements Command {}

  public record Recorded(String eventId, boolean duplicate) implements CborSerializable {}

  public sealed interface PaymentReply extends CborSerializable {}

  public record PaymentAccepted(PaymentView payment) implements PaymentReply {}

  public record PaymentRejected(Rejection rejection) implements PaymentReply {
    public Rejection.Code code() {
      return rejection.code();
    }

    public String detail() {
      return rejection.detail();
    }
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

  public record IntentRequested(String bookingId, Terms terms, String key, Instant at)
      implements Event {}

  public record IntentCreated(
      String bookingId, String key, String intentId, String clientSecret, Instant at)
      implements Event {}

  public record PaymentSucceeded(
      String bookingId, String eventId, String intentId, long amountCents, Instant at)
      implements Event {}

  public record PaymentFailed(
      String bookingId, String eventId, String intentId, String reason, Instant at)
      implements Event {}

  public record BookingConfirmedByPayment(String bookingId, String kitchenId, Instant at)
      implements Event {}

  /** The booking could no longer be confirmed, and nothing of the payment was left to refund. */
  public record LatePaymentSettled(String bookingId, Instant at) implements Event {}

  public record RefundRequested(
      String bookingId,
      String key,
      String requestKey,
      long amountCents,
      RefundKind kind,
      String reason,
      String actorId,
      Role actorRole,
      Instant at)
      implements Event {}

  public record RefundSucceeded(
      String bookingId, String key, String refundId, long amountCents, Instant at)
      implements Event {}

  public record RefundRejected(String bookingId, String key, String reason, Instant at)
      implements Event {}

  /**
   * The gateway kept failing on this refund's key and holds no refund made under it: the next call
   * uses the next attempt's key (a gateway may replay a saved failure for a key forever).
   */
  public record RefundAttemptAbandoned(String bookingId, String key, int nextAttempt, Instant at)
      implements Event {}

  /**
   * A refund the gateway made, then reported failed or canceled (the renter's card or account no
   * longer takes it): the money came back to the platform, not to the renter. The line is FAILED,
   * no longer counts as refunded, and is not retried: an operator returns the money another way or
   * asks for a new refund under a new key (see docs/payments.md).
   */
  public record RefundFailed(
      String bookingId,
      String eventId,
      String key,
      String refundId,
      long amountCents,
      String reason,
      Instant at)
      implements Event {}

  /** A gateway event kept for the record (refunds seen by the gateway, disputes, others). */
  public record GatewayEventRecorded(
      String bookingId, String eventId, String type, long amountCents, Instant at)
      implements Event {}

  // ---------------------------------------------------------------- state

  public sealed interface State extends CborSerializable {}

  public record NoPayment() implements State {}

  /**
   * One refund. {@code key} names it for good; {@code attempt} says which gateway key is in use
   * ({@link #gatewayKey}): a key the gateway keeps failing on is given up, after making sure the
   * gateway made no refund under it, for the next attempt's.
   */
  public record RefundLine(
      String key,
      String requestKey,
      long amountCents,
      RefundKind kind,
      String reason,
      RefundLineStatus status,
      String refundId,
      int attempt,
      Instant requestedAt)
      implements CborSerializable {

    public String gatewayKey() {
      return attempt <= 1 ? key : key + ":" + attempt;
    }

    RefundLine with(RefundLineStatus newStatus, String newRefundId, int newAttempt) {
      return new RefundLine(
          key,
          requestKey,
          amountCents,
          kind,
          reason,
          newStatus,
          newRefundId,
          newAttempt,
          requestedAt);
    }
  }

  /**
   * @param outcome NONE until paid; CONFIRMING once paid and until the kitchen answered; CONFIRMED;
   *     or REFUNDED_LATE when the booking could no longer be confirmed
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
      return refunds.values().stream()
          .filter(r -> r.status().holdsAmount())
          .mapToLong(RefundLine::amountCents)
          .sum();
    }

    long refunded() {
      return refunds.values().stream()
          .filter(r -> r.status() == RefundLineStatus.SUCCEEDED)
          .mapToLong(RefundLine::amountCents)
          .sum();
    }

    PaymentView view(Actor actor) {
      boolean renter = actor != null && actor.id().equals(terms.renterId());
      List<RefundLine> lines =
          refunds.values().stream()
              .sorted(java.util.Comparator.comparing(RefundLine::key))
              .toList();
      return new PaymentView(
          terms.bookingId(),
          terms.kitchenId(),
          terms.renterId(),
          intentId,
          renter ? clientSecret : null,
          terms.totalCents(),
          terms.currency(),
          status,
          paidCents,
          refunded(),
          outcome,
          lines,
          disputed);
    }

    Payment with(PaymentStatus newStatus, long paid, PaymentOutcome newOutcome) {
      return new Payment(
          terms,
          intentKey,
          intentId,
          clientSecret,
          newStatus,
          paid,
          newOutcome,
          refunds,
          seenEvents,
          disputed,
          requestedAt);
    }

    Payment seen(String eventId) {
      if (eventId == null) return this;
      Set<String> next = new HashSet<>(seenEvents);
      next.add(eventId);
      return new Payment(
          terms,
          intentKey,
          intentId,
          clientSecret,
          status,
          paidCents,
          outcome,
          refunds,
          next,
          disputed,
          requestedAt);
    }

    Payment withRefund(RefundLine line) {
      Map<String, RefundLine> next = new LinkedHashMap<>(refunds);
      next.put(line.key(), line);
      return new Payment(
          terms,
          intentKey,
          intentId,
          clientSecret,
          status,
          paidCents,
          outcome,
          next,
          seenEvents,
          disputed,
          requestedAt);
    }
  }

  // ---------------------------------------------------------------- construction

  public static void init(
      ActorSystem<?> system, PaymentGateway gateway, Kitchens kitchens, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), gateway, kitchens, clock)));
  }

  public static Behavior<Command> create(
      String bookingId, PaymentGateway gateway, Kitchens kitchens, Clock clock) {
    return create(bookingId, gateway, kitchens, clock, RETRY_AFTER);
  }

  /**
   * As {@link #create(String, PaymentGateway, Kitchens, Clock)}, retrying after {@code retryAfter}:
   * tests wait less.
   */
  static Behavior<Command> create(
      String bookingId,
      PaymentGateway gateway,
      Kitchens kitchens,
      Clock clock,
      Duration retryAfter) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new PaymentEntity(
                        bookingId, ctx, timers, gateway, kitchens, clock, retryAfter)));
  }

  /** The idempotency key of the booking's one payment intent. */
  public static String intentKey(String bookingId) {
    return "hearth:" + bookingId + ":intent";
  }

  /**
   * The key of the booking's intent at attempt {@code attempt} (the first is {@link
   * #intentKey(String)}).
   */
  public static String intentKey(String bookingId, int attempt) {
    return attempt <= 1 ? intentKey(bookingId) : intentKey(bookingId) + ":" + attempt;
  }

  static int attemptOf(String bookingId, String key) {
    return key.equals(intentKey(bookingId))
        ? 1
        : Integer.parseInt(key.substring(intentKey(bookingId).length() + 1));
  }

  /**
   * How far around a request the gateway's listing is searched for what the request may have made.
   */
  static final Duration LOOKUP_MARGIN = Duration.ofMinutes(10);

  /** The idempotency key of a refund: one per booking and request. */
  public static String refundKey(String bookingId, RefundKind kind, String requestKey) {
    return "hearth:" + bookingId + ":refund:" + kind.name().toLowerCase() + ":" + requestKey;
  }

  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private static final String INTENT = "intent";
  private static final String CONFIRM = "confirm";

  private final String bookingId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final PaymentGateway gateway;
  private final Kitchens kitchens;
  private final Clock clock;
  private final Duration retryAfter;
  private final PaymentDecisions decisions;

  /**
   * Callers waiting for the intent; in memory only: after a crash they retry, with the same result.
   */
  private final List<ActorRef<PaymentReply>> waitingForIntent = new ArrayList<>();

  /**
   * The request each pending gateway or kitchen call is made for ("intent", "confirm" or a refund's
   * key), in memory only: a retry on a timer or after recovery logs under it (or under none).
   */
  private final Map<String, String> requestFor = new HashMap<>();

  private boolean intentCallInFlight;
  private boolean confirmInFlight;
  private final Set<String> refundCallsInFlight = new HashSet<>();

  private PaymentEntity(
      String bookingId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      PaymentGateway gateway,
      Kitchens kitchens,
      Clock clock,
      Duration retryAfter) {
    super(PersistenceId.of(ENTITY_KEY.name(), bookingId), EventSourcing.ON_JOURNAL_FAILURE);
    this.bookingId = bookingId;
    this.context = context;
    this.timers = timers;
    this.gateway = gateway;
    this.kitchens = kitchens;
    this.clock = clock;
    this.retryAfter = retryAfter;
    this.decisions = new PaymentDecisions(bookingId);
  }

  @Override
  public State emptyState() {
    return new NoPayment();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(EventSourcing.PAYMENT_TAGS.of(bookingId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::resumePending)
        .build();
  }

  /**
   * After recovery or a transient failure: make again every call whose answer was never recorded.
   */
  private void resumePending(State state) {
    if (!(state instanceof Payment p)) return;
    if (p.intentId() == null) callCreateIntent(p);
    if (p.outcome() == PaymentOutcome.CONFIRMING) confirmWithKitchen(p);
    p.refunds().values().stream()
        .filter(r -> r.status() == RefundLineStatus.REQUESTED)
        .forEach(r -> callRefund(p, r));
  }

  // ---------------------------------------------------------------- commands

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(NoPayment.class)
        .onCommand(
            StartPayment.class,
            (s, c) -> {
              Instant now = clock.instant();
              if (Deadlines.expired(c.deadline(), now)) return dropLate("payment start");
              return start(s, decisions.start(c, now), c.replyTo());
            })
        .onCommand(GetPayment.class, (s, c) -> Effect().reply(c.replyTo(), decisions.get(s, c)))
        .onCommand(
            RecordGatewayEvent.class,
            (s, c) -> carryOut(decisions.gatewayEvent(s, c.event(), clock.instant()), c.replyTo()))
        .onCommand(
            RequestRefund.class,
            (s, c) -> Effect().reply(c.replyTo(), PaymentDecisions.nothingPaid()))
        .onAnyCommand(c -> Effect().noReply());
    builder
        .forStateType(Payment.class)
        .onCommand(
            StartPayment.class,
            (s, c) -> {
              if (Deadlines.expired(c.deadline(), clock.instant()))
                return dropLate("payment start");
              return start(s, decisions.startAgain(s, c), c.replyTo());
            })
        .onCommand(GetPayment.class, (s, c) -> Effect().reply(c.replyTo(), decisions.get(s, c)))
        .onCommand(IntentCallDone.class, this::intentCallDone)
        .onCommand(IntentLookupDone.class, this::intentLookupDone)
        .onCommand(RefundLookupDone.class, this::refundLookupDone)
        .onCommand(RecordGatewayEvent.class, this::gatewayEvent)
        .onCommand(ConfirmDone.class, this::confirmDone)
        .onCommand(
            RequestRefund.class,
            (s, c) -> {
              Instant now = clock.instant();
              if (Deadlines.expired(c.deadline(), now)) return dropLate("refund request");
              return carryOut(decisions.refund(s, c, now), c.replyTo());
            })
        .onCommand(RefundCallDone.class, this::refundCallDone)
        .onCommand(
            Resume.class,
            (s, c) -> {
              resumePending(s);
              return Effect().noReply();
            });
    return RequestIds.inLogs(builder.build());
  }

  /**
   * Persists what was decided, if anything, makes the gateway and kitchen calls its events ask for
   * (a refund requested, a payment to confirm), and replies from the state it led to.
   */
  private <R> ReplyEffect<Event, State> carryOut(
      PaymentDecisions.Decision<R> decision, ActorRef<R> replyTo) {
    if (decision.events().isEmpty())
      return Effect().none().thenReply(replyTo, decision.reply()::apply);
    String requestId = RequestIds.current();
    return Effect()
        .persist(decision.events())
        .thenRun(s -> afterWrite(s, decision.events(), requestId))
        .thenReply(replyTo, decision.reply()::apply);
  }

  private void afterWrite(State after, List<Event> written, String requestId) {
    if (!(after instanceof Payment state)) return;
    for (Event e : written) {
      if (e instanceof PaymentSucceeded) {
        if (requestId != null) requestFor.put(CONFIRM, requestId);
        confirmWithKitchen(state);
      } else if (e instanceof RefundRequested r) {
        if (requestId != null) requestFor.put(r.key(), requestId);
        callRefund(state, state.refunds().get(r.key()));
      }
    }
  }

  /** A command past its deadline: not applied and not answered (its caller already had a 503). */
  private ReplyEffect<Event, State> dropLate(String what) {
    context
        .getLog()
        .info("payment {}: dropped a {} that arrived after its deadline", bookingId, what);
    return Effect().noReply();
  }

  /**
   * Answers a payment start now, or keeps the caller until the gateway has answered on the intent.
   */
  private ReplyEffect<Event, State> start(
      State state,
      PaymentDecisions.Decision<PaymentReply> decision,
      ActorRef<PaymentReply> replyTo) {
    if (!decision.waitsForIntent())
      return Effect().none().thenReply(replyTo, decision.reply()::apply);
    waitingForIntent.add(replyTo);
    String requestId = RequestIds.current();
    if (requestId != null) requestFor.put(INTENT, requestId);
    if (decision.events().isEmpty()) {
      callCreateIntent((Payment) state);
      return Effect().noReply();
    }
    return Effect()
        .persist(decision.events())
        .thenRun(s -> callCreateIntent((Payment) s))
        .thenNoReply();
  }

  private void callCreateIntent(Payment p) {
    if (intentCallInFlight) return;
    intentCallInFlight = true;
    Terms t = p.terms();
    String requestId = requestFor.get(INTENT);
    context.pipeToSelf(
        RequestIds.with(
            requestId,
            () ->
                gateway.createIntent(
                    p.intentKey(),
                    t.totalCents(),
                    t.currency(),
                    Map.of(
                        "booking_id",
                        t.bookingId(),
                        "kitchen_id",
                        t.kitchenId(),
                        "renter_id",
                        t.renterId()))),
        (intent, failure) -> new IntentCallDone(p.intentKey(), intent, unwrap(failure), requestId));
  }

  private ReplyEffect<Event, State> intentCallDone(Payment state, IntentCallDone c) {
    if (c.failure() instanceof GatewayRejected r) {
      intentCallInFlight = false;
      context.getLog().warn("payment intent for {} refused: {}", bookingId, r.toString());
      return refuseWaiters(
          PaymentDecisions.rejected(
              Rejection.Code.GATEWAY_REFUSED, "the payment provider refused: " + r.getMessage()));
    }
    if (c.failure() != null) {
      // The gateway may have made the intent and then failed (and replay that failure for this key
      // forever): look for it before anything else is tried.
      context
          .getLog()
          .warn(
              "payment intent for {} not confirmed by the gateway ({}); looking it up",
              bookingId,
              c.failure().toString());
      Instant now = clock.instant();
      context.pipeToSelf(
          gateway.listIntents(state.requestedAt().minus(LOOKUP_MARGIN), now.plus(LOOKUP_MARGIN)),
          (intents, failure) ->
              new IntentLookupDone(
                  c.key(),
                  intents == null
                      ? null
                      : intents.stream()
                          .filter(i -> bookingId.equals(i.metadata().get("booking_id")))
                          .findFirst()
                          .orElse(null),
                  unwrap(failure),
                  c.requestId()));
      return Effect().noReply();
    }
    intentCallInFlight = false;
    return persistThenAnswerWaiters(
        decisions.intentMade(state, c.key(), c.intent(), clock.instant()), state);
  }

  private ReplyEffect<Event, State> intentLookupDone(Payment state, IntentLookupDone c) {
    intentCallInFlight = false;
    if (state.intentId() != null) return answerWaiters(state);
    if (c.found() != null) {
      context
          .getLog()
          .info(
              "payment intent {} for {} found at the gateway; adopted", c.found().id(), bookingId);
      return persistThenAnswerWaiters(
          decisions.intentMade(state, c.key(), c.found(), clock.instant()), state);
    }
    PaymentRejected unavailable =
        PaymentDecisions.rejected(
            Rejection.Code.UNAVAILABLE, "the payment provider did not answer; retry shortly");
    if (c.failure() != null) return refuseWaiters(unavailable);
    List<Event> nextAttempt = decisions.intentNotMade(state, c.key(), clock.instant());
    if (nextAttempt.isEmpty()) return refuseWaiters(unavailable);
    return Effect().persist(nextAttempt).thenRun(s -> refuseWaiters(unavailable)).thenNoReply();
  }

  private ReplyEffect<Event, State> persistThenAnswerWaiters(List<Event> events, Payment state) {
    if (events.isEmpty()) return answerWaiters(state);
    return Effect().persist(events).thenRun(s -> answerWaiters((Payment) s)).thenNoReply();
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

  private ReplyEffect<Event, State> gatewayEvent(Payment state, RecordGatewayEvent c) {
    PaymentDecisions.Decision<Recorded> decision =
        decisions.gatewayEvent(state, c.event(), clock.instant());
    for (Event e : decision.events())
      if (e instanceof RefundFailed f)
        context
            .getLog()
            .error(
                "refund {} of booking {} ({} {}, gateway refund {}) FAILED at the gateway after it was made"
                    + " (event {}, status {}): the renter has not received it; an operator must return it another way or refund"
                    + " again under a new key",
                f.key(),
                bookingId,
                f.amountCents(),
                state.terms().currency(),
                c.event().refundOrChargeId(),
                c.event().eventId(),
                c.event().status());
    return carryOut(decision, c.replyTo());
  }

  private void confirmWithKitchen(Payment p) {
    if (confirmInFlight) return;
    confirmInFlight = true;
    String requestId = requestFor.get(CONFIRM);
    context.pipeToSelf(
        RequestIds.with(requestId, () -> kitchens.confirm(p.terms().kitchenId(), bookingId)),
        (confirmed, failure) -> new ConfirmDone(confirmed, unwrap(failure), requestId));
  }

  private ReplyEffect<Event, State> confirmDone(Payment state, ConfirmDone c) {
    confirmInFlight = false;
    if (state.outcome() != PaymentOutcome.CONFIRMING) return Effect().noReply();
    if (c.failure() != null) {
      context
          .getLog()
          .warn(
              "kitchen did not confirm booking {} yet ({}); retrying in {}",
              bookingId,
              c.failure(),
              retryAfter);
      timers.startSingleTimer(new Resume(), retryAfter);
      return Effect().noReply();
    }
    List<Event> answered = decisions.kitchenAnswered(state, c.confirmed(), clock.instant());
    for (Event e : answered)
      if (e instanceof RefundRequested late)
        context
            .getLog()
            .info(
                "payment for {} arrived after its hold ended; refunding {} in full",
                bookingId,
                late.amountCents());
    if (answered.isEmpty()) return Effect().noReply();
    return Effect()
        .persist(answered)
        .thenRun(s -> afterWrite(s, answered, c.requestId()))
        .thenNoReply();
  }

  // ---------------------------------------------------------------- refunds

  private void callRefund(Payment p, RefundLine line) {
    if (!refundCallsInFlight.add(line.key())) return;
    String requestId = requestFor.get(line.key());
    context.pipeToSelf(
        RequestIds.with(
            requestId,
            () ->
                gateway.createRefund(
                    line.gatewayKey(),
                    p.intentId(),
                    line.amountCents(),
                    Map.of(
                        "booking_id",
                        bookingId,
                        "kind",
                        line.kind().name().toLowerCase(),
                        "refund_key",
                        line.key()))),
        (refund, failure) -> new RefundCallDone(line.key(), refund, unwrap(failure), requestId));
  }

  private ReplyEffect<Event, State> refundCallDone(Payment state, RefundCallDone c) {
    refundCallsInFlight.remove(c.key());
    if (!PaymentDecisions.awaitsGateway(state, c.key())) return Effect().noReply();
    Instant now = clock.instant();
    if (c.failure() instanceof GatewayRejected r)
      return persist(decisions.refundRefused(state, c.key(), r.getMessage(), now));
    if (c.failure() != null) {
      context
          .getLog()
          .warn(
              "refund {} not confirmed by the gateway ({}); looking it up",
              c.key(),
              c.failure().toString());
      refundCallsInFlight.add(c.key());
      RefundLine line = state.refunds().get(c.key());
      context.pipeToSelf(
          gateway.listRefunds(line.requestedAt().minus(LOOKUP_MARGIN), now.plus(LOOKUP_MARGIN)),
          (refunds, failure) ->
              new RefundLookupDone(
                  c.key(),
                  refunds == null
                      ? null
                      : refunds.stream()
                          .filter(r -> c.key().equals(r.metadata().get("refund_key")))
                          .findFirst()
                          .orElse(null),
                  unwrap(failure),
                  c.requestId()));
      return Effect().noReply();
    }
    return persist(decisions.refundMade(state, c.key(), c.refund(), now));
  }

  private ReplyEffect<Event, State> refundLookupDone(Payment state, RefundLookupDone c) {
    refundCallsInFlight.remove(c.key());
    if (!PaymentDecisions.awaitsGateway(state, c.key())) return Effect().noReply();
    Instant now = clock.instant();
    if (c.found() != null) return persist(decisions.refundMade(state, c.key(), c.found(), now));
    timers.startSingleTimer(new Resume(), retryAfter);
    if (c.failure() != null) {
      context
          .getLog()
          .warn(
              "refund {} could not be looked up ({}); retrying in {}",
              c.key(),
              c.failure().toString(),
              retryAfter);
      return Effect().noReply();
    }
    context
        .getLog()
        .warn(
            "refund {} not made under attempt {}; retrying in {} with the next attempt's key",
            c.key(),
            state.refunds().get(c.key()).attempt(),
            retryAfter);
    return persist(decisions.refundNotMade(state, c.key(), now));
  }

  private ReplyEffect<Event, State> persist(List<Event> events) {
    if (events.isEmpty()) return Effect().noReply();
    return Effect().persist(events).thenNoReply();
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  // ---------------------------------------------------------------- events

  @Override
  public EventHandler<State, Event> eventHandler() {
    return decisions::apply;
  }
}
