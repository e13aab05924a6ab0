package com.hearth.engine.payment;

import com.hearth.engine.Actor;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.Booking;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.payment.PaymentEntity.BookingConfirmedByPayment;
import com.hearth.engine.payment.PaymentEntity.Event;
import com.hearth.engine.payment.PaymentEntity.GatewayEventRecorded;
import com.hearth.engine.payment.PaymentEntity.GetPayment;
import com.hearth.engine.payment.PaymentEntity.IntentCreated;
import com.hearth.engine.payment.PaymentEntity.IntentRequested;
import com.hearth.engine.payment.PaymentEntity.LatePaymentSettled;
import com.hearth.engine.payment.PaymentEntity.NoPayment;
import com.hearth.engine.payment.PaymentEntity.Payment;
import com.hearth.engine.payment.PaymentEntity.PaymentAccepted;
import com.hearth.engine.payment.PaymentEntity.PaymentFailed;
import com.hearth.engine.payment.PaymentEntity.PaymentRejected;
import com.hearth.engine.payment.PaymentEntity.PaymentReply;
import com.hearth.engine.payment.PaymentEntity.PaymentSucceeded;
import com.hearth.engine.payment.PaymentEntity.Recorded;
import com.hearth.engine.payment.PaymentEntity.RefundAttemptAbandoned;
import com.hearth.engine.payment.PaymentEntity.RefundFailed;
import com.hearth.engine.payment.PaymentEntity.RefundKind;
import com.hearth.engine.payment.PaymentEntity.RefundLine;
import com.hearth.engine.payment.PaymentEntity.RefundRejected;
import com.hearth.engine.payment.PaymentEntity.RefundRequested;
import com.hearth.engine.payment.PaymentEntity.RefundSucceeded;
import com.hearth.engine.payment.PaymentEntity.RequestRefund;
import com.hearth.engine.payment.PaymentEntity.StartPayment;
import com.hearth.engine.payment.PaymentEntity.State;
import com.hearth.engine.payment.PaymentEntity.Terms;
import com.hearth.engine.payment.PaymentGateway.Intent;
import com.hearth.engine.payment.PaymentGateway.Refund;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The money rules of one booking, with no actor system: who may pay and refund, how much a refund
 * may be, what a gateway event or the kitchen's answer means, and how each event changes the
 * payment. {@link PaymentEntity} is the shell around them: it reads the clock, calls the gateway
 * and the kitchen, keeps callers waiting for the intent, retries, persists and replies. The {@code
 * replyTo} of a command is never used here.
 */
public final class PaymentDecisions {

  /**
   * What a command decided: the events to persist, in order (none for a rejection or a repeat), and
   * the reply, made from the state those events lead to; or no reply ({@code reply} null) when the
   * caller waits for the gateway's intent.
   */
  public record Decision<R>(List<Event> events, Function<State, R> reply) {
    public Decision {
      events = List.copyOf(events);
    }

    /** Whether the caller is answered once the gateway has made (or refused) the intent. */
    public boolean waitsForIntent() {
      return reply == null;
    }

    static <R> Decision<R> answer(R reply) {
      return new Decision<>(List.of(), s -> reply);
    }
  }

  private final String bookingId;

  public PaymentDecisions(String bookingId) {
    this.bookingId = bookingId;
  }

  // ---------------------------------------------------------------- who may pay and refund

  /**
   * Why {@code actor} may not pay {@code booking}, if it may not: only its renter pays, and only
   * while it is held (or confirmed, to see again what was paid).
   */
  public static Optional<PaymentRejected> refusesToPay(Booking booking, Actor actor) {
    if (!booking.renterId().equals(actor.id()))
      return Optional.of(rejected(Rejection.Code.NOT_FOUND, "no such booking"));
    if (booking.status() != BookingStatus.HELD && booking.status() != BookingStatus.CONFIRMED)
      return Optional.of(
          rejected(
              Rejection.Code.INVALID_STATE, "a " + booking.status() + " booking takes no payment"));
    return Optional.empty();
  }

  /**
   * The terms a booking is paid under: its price as the kitchen fixed it when the slot was held.
   */
  public static Terms termsOf(Booking b) {
    return new Terms(
        b.bookingId(),
        b.kitchenId(),
        b.hostId(),
        b.renterId(),
        b.price().totalCents(),
        b.price().currency());
  }

  /**
   * Why {@code actor} may not refund {@code booking}'s payment, if it may not (see {@link
   * #mayRefund}).
   */
  public static Optional<PaymentRejected> refusesToRefund(Booking booking, Actor actor) {
    if (mayRefund(booking.hostId(), actor)) return Optional.empty();
    return Optional.of(
        rejected(Rejection.Code.FORBIDDEN, "only the kitchen's host and admins refund"));
  }

  /**
   * Who refunds a booking: its kitchen's host, admins, and the platform itself (cancellations, late
   * payments).
   */
  public static boolean mayRefund(String hostId, Actor actor) {
    return actor.isAdmin() || actor.isHostOf(hostId) || actor.has(Role.SYSTEM);
  }

  /** Who sees a booking's payment: its renter, its host, admins, operators and the platform. */
  static boolean canSee(Payment p, Actor actor) {
    return actor.id().equals(p.terms().renterId())
        || actor.isHostOf(p.terms().hostId())
        || actor.isAdmin()
        || actor.has(Role.OPERATOR)
        || actor.has(Role.SYSTEM);
  }

  // ---------------------------------------------------------------- the intent

  /**
   * The renter's first request: the intent is requested under the booking's key, and the renter
   * waits for it.
   */
  public Decision<PaymentReply> start(StartPayment c, Instant now) {
    if (!c.actor().id().equals(c.terms().renterId())) return Decision.answer(noSuchBooking());
    return new Decision<>(
        List.of(new IntentRequested(bookingId, c.terms(), PaymentEntity.intentKey(bookingId), now)),
        null);
  }

  /** A later request: the intent made, or a wait for the one being made. */
  public Decision<PaymentReply> startAgain(Payment state, StartPayment c) {
    if (!c.actor().id().equals(state.terms().renterId())) return Decision.answer(noSuchBooking());
    if (state.intentId() != null)
      return Decision.answer(new PaymentAccepted(state.view(c.actor())));
    return new Decision<>(List.of(), null);
  }

  public PaymentReply get(State state, GetPayment c) {
    if (state instanceof Payment p && canSee(p, c.actor()))
      return new PaymentAccepted(p.view(c.actor()));
    return rejected(Rejection.Code.NOT_FOUND, "no payment for this booking");
  }

  /**
   * The gateway made (or was found to hold) the intent; nothing to record if one is already known.
   */
  public List<Event> intentMade(Payment state, String key, Intent intent, Instant now) {
    if (state.intentId() != null) return List.of();
    return List.of(new IntentCreated(bookingId, key, intent.id(), intent.clientSecret(), now));
  }

  /**
   * The gateway holds no intent made under {@code key}: the next request uses the next attempt's
   * key (a gateway may replay a saved failure for a key forever). Nothing when {@code key} is no
   * longer the current one.
   */
  public List<Event> intentNotMade(Payment state, String key, Instant now) {
    if (!key.equals(state.intentKey())) return List.of();
    String next = PaymentEntity.intentKey(bookingId, PaymentEntity.attemptOf(bookingId, key) + 1);
    return List.of(new IntentRequested(bookingId, state.terms(), next, now));
  }

  // ---------------------------------------------------------------- gateway events

  /**
   * A gateway event: a payment that succeeded or failed before any money was taken changes the
   * payment; a refund the gateway made and then reported failed marks its line FAILED; anything
   * else (a success already recorded, a failure after success, refunds seen, disputes) is kept for
   * the record. An event seen before is a duplicate and changes nothing.
   */
  public Decision<Recorded> gatewayEvent(State state, GatewayEvent e, Instant now) {
    if (!(state instanceof Payment p))
      return recorded(
          e, new GatewayEventRecorded(bookingId, e.eventId(), e.type(), e.amountCents(), now));
    if (p.seenEvents().contains(e.eventId()))
      return Decision.answer(new Recorded(e.eventId(), true));
    boolean ours = e.intentId() != null && e.intentId().equals(p.intentId());
    boolean unpaid = p.paidCents() == 0;
    if (ours && unpaid && e.type().equals(GatewayEvent.PAYMENT_SUCCEEDED))
      return recorded(
          e, new PaymentSucceeded(bookingId, e.eventId(), e.intentId(), e.amountCents(), now));
    if (ours && unpaid && e.type().equals(GatewayEvent.PAYMENT_FAILED))
      return recorded(
          e,
          new PaymentFailed(
              bookingId,
              e.eventId(),
              e.intentId(),
              "the payment failed; the renter may try again until the hold expires",
              now));
    if (ours && unpaid && e.type().equals(GatewayEvent.PAYMENT_CANCELED))
      return recorded(
          e,
          new PaymentFailed(
              bookingId,
              e.eventId(),
              e.intentId(),
              "the payment intent was canceled at the gateway",
              now));
    RefundLine failed = e.refundFailed() ? refundNamedBy(p, e) : null;
    if (failed != null && failed.status().holdsAmount())
      return recorded(
          e,
          new RefundFailed(
              bookingId,
              e.eventId(),
              failed.key(),
              e.refundOrChargeId(),
              failed.amountCents(),
              "the gateway reports the refund "
                  + (e.status() == null ? "failed" : e.status())
                  + " ("
                  + e.type()
                  + ")",
              now));
    return recorded(
        e, new GatewayEventRecorded(bookingId, e.eventId(), e.type(), e.amountCents(), now));
  }

  private static Decision<Recorded> recorded(GatewayEvent e, Event fact) {
    return new Decision<>(List.of(fact), s -> new Recorded(e.eventId(), false));
  }

  /**
   * The refund line a refund event names: by the gateway's refund id, else by the key the payments
   * put in its metadata.
   */
  private static RefundLine refundNamedBy(Payment state, GatewayEvent e) {
    return state.refunds().values().stream()
        .filter(
            r ->
                (e.refundOrChargeId() != null && e.refundOrChargeId().equals(r.refundId()))
                    || r.key().equals(e.metadata().get("refund_key")))
        .findFirst()
        .orElse(null);
  }

  /**
   * The kitchen answered a paid booking's confirmation: confirmed, or no longer confirmable (the
   * hold expired or was cancelled), and then what is left of the payment is refunded in full.
   * Nothing once the payment is no longer waiting for the kitchen.
   */
  public List<Event> kitchenAnswered(Payment state, boolean confirmed, Instant now) {
    if (state.outcome() != PaymentOutcome.CONFIRMING) return List.of();
    if (confirmed)
      return List.of(new BookingConfirmedByPayment(bookingId, state.terms().kitchenId(), now));
    long amount = state.paidCents() - state.refundedOrPending();
    if (amount <= 0) // partial refunds returned everything while the kitchen was being asked
    return List.of(new LatePaymentSettled(bookingId, now));
    return List.of(
        new RefundRequested(
            bookingId,
            PaymentEntity.refundKey(bookingId, RefundKind.LATE_PAYMENT, "full"),
            "full",
            amount,
            RefundKind.LATE_PAYMENT,
            "the hold had expired or was cancelled when the payment arrived",
            Actor.SYSTEM.id(),
            Role.SYSTEM,
            now));
  }

  // ---------------------------------------------------------------- refunds

  /**
   * A refund request. The same request key again returns the first refund (a partial refund's key
   * with another amount is refused). A cancellation refunds what its policy says but never more
   * than is left of the payment; any other refund is between 1 and what is left.
   */
  public Decision<PaymentReply> refund(Payment state, RequestRefund c, Instant now) {
    if (!canSee(state, c.actor())) return Decision.answer(noSuchBooking());
    if (!mayRefund(state.terms().hostId(), c.actor()))
      return Decision.answer(
          rejected(
              Rejection.Code.FORBIDDEN, "only the kitchen's host, admins and the platform refund"));
    String key = PaymentEntity.refundKey(bookingId, c.kind(), c.requestKey());
    RefundLine existing = state.refunds().get(key);
    if (existing != null) {
      if (existing.amountCents() != c.amountCents() && c.kind() == RefundKind.PARTIAL)
        return Decision.answer(
            rejected(
                Rejection.Code.IDEMPOTENCY_KEY_REUSED,
                "this idempotency key was already used for a refund of " + existing.amountCents()));
      return Decision.answer(new PaymentAccepted(state.view(c.actor())));
    }
    if (state.paidCents() == 0) return Decision.answer(nothingPaid());
    long refundable = state.paidCents() - state.refundedOrPending();
    long amount =
        c.kind() == RefundKind.CANCELLATION
            ? Math.min(c.amountCents(), refundable)
            : c.amountCents();
    if (amount <= 0 && c.kind() == RefundKind.CANCELLATION)
      return Decision.answer(new PaymentAccepted(state.view(c.actor())));
    if (amount <= 0 || amount > refundable)
      return Decision.answer(
          rejected(
              Rejection.Code.INVALID_AMOUNT,
              "a refund must be between 1 and the " + refundable + " not yet refunded"));
    Role role =
        c.actor().isAdmin()
            ? Role.ADMIN
            : c.actor().isHostOf(state.terms().hostId()) ? Role.HOST : Role.SYSTEM;
    RefundRequested requested =
        new RefundRequested(
            bookingId,
            key,
            c.requestKey(),
            amount,
            c.kind(),
            c.reason(),
            c.actor().id(),
            role,
            now);
    return new Decision<>(
        List.of(requested), s -> new PaymentAccepted(((Payment) s).view(c.actor())));
  }

  /**
   * The gateway holds refund {@code made} for the line {@code key}: failed or canceled frees its
   * amount; anything else is on its way to the renter. Nothing once the line is no longer
   * requested.
   */
  public List<Event> refundMade(Payment state, String key, Refund made, Instant now) {
    if (!awaitsGateway(state, key)) return List.of();
    if (made.status() == PaymentGateway.RefundStatus.FAILED
        || made.status() == PaymentGateway.RefundStatus.CANCELED)
      return List.of(
          new RefundRejected(bookingId, key, "the gateway answered " + made.status(), now));
    return List.of(new RefundSucceeded(bookingId, key, made.id(), made.amountCents(), now));
  }

  /** The gateway refused the refund for good. */
  public List<Event> refundRefused(Payment state, String key, String reason, Instant now) {
    if (!awaitsGateway(state, key)) return List.of();
    return List.of(new RefundRejected(bookingId, key, reason, now));
  }

  /**
   * The gateway kept failing on the line's key and holds no refund made under it: the next
   * attempt's key is used.
   */
  public List<Event> refundNotMade(Payment state, String key, Instant now) {
    if (!awaitsGateway(state, key)) return List.of();
    return List.of(
        new RefundAttemptAbandoned(bookingId, key, state.refunds().get(key).attempt() + 1, now));
  }

  /** Whether the refund line {@code key} is requested and waits for the gateway's answer. */
  static boolean awaitsGateway(Payment state, String key) {
    RefundLine line = state.refunds().get(key);
    return line != null && line.status() == RefundLineStatus.REQUESTED;
  }

  static PaymentRejected noSuchBooking() {
    return rejected(Rejection.Code.NOT_FOUND, "no such booking");
  }

  static PaymentRejected nothingPaid() {
    return rejected(Rejection.Code.INVALID_STATE, "nothing was paid for this booking");
  }

  static PaymentRejected rejected(Rejection.Code code, String detail) {
    return new PaymentRejected(Rejection.of(code, detail));
  }

  // ---------------------------------------------------------------- events

  /** Applies one fact. */
  public State apply(State state, Event event) {
    if (event instanceof IntentRequested e)
      return new Payment(
          e.terms(),
          e.key(),
          null,
          null,
          PaymentStatus.AWAITING_INTENT,
          0,
          PaymentOutcome.NONE,
          Map.of(),
          Set.of(),
          false,
          state instanceof Payment earlier ? earlier.requestedAt() : e.at());
    if (state instanceof NoPayment) return state; // a gateway event for a booking never paid here
    Payment p = (Payment) state;
    if (event instanceof IntentCreated e)
      return new Payment(
          p.terms(),
          p.intentKey(),
          e.intentId(),
          e.clientSecret(),
          PaymentStatus.REQUIRES_PAYMENT,
          0,
          PaymentOutcome.NONE,
          p.refunds(),
          p.seenEvents(),
          p.disputed(),
          p.requestedAt());
    if (event instanceof PaymentSucceeded e)
      return p.with(PaymentStatus.SUCCEEDED, e.amountCents(), PaymentOutcome.CONFIRMING)
          .seen(e.eventId());
    if (event instanceof PaymentFailed e)
      return p.with(PaymentStatus.FAILED, 0, p.outcome()).seen(e.eventId());
    if (event instanceof BookingConfirmedByPayment)
      return p.with(p.status(), p.paidCents(), PaymentOutcome.CONFIRMED);
    if (event instanceof LatePaymentSettled)
      return p.with(p.status(), p.paidCents(), PaymentOutcome.REFUNDED_LATE);
    if (event instanceof RefundRequested e) {
      Payment next =
          p.withRefund(
              new RefundLine(
                  e.key(),
                  e.requestKey(),
                  e.amountCents(),
                  e.kind(),
                  e.reason(),
                  RefundLineStatus.REQUESTED,
                  null,
                  1,
                  e.at()));
      return e.kind() == RefundKind.LATE_PAYMENT
          ? next.with(next.status(), next.paidCents(), PaymentOutcome.REFUNDED_LATE)
          : next;
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
      return p.withRefund(
              l.with(
                  RefundLineStatus.FAILED,
                  e.refundId() != null ? e.refundId() : l.refundId(),
                  l.attempt()))
          .seen(e.eventId());
    }
    if (event instanceof GatewayEventRecorded e) {
      Payment seen = p.seen(e.eventId());
      if (!GatewayEvent.isDispute(e.type())) return seen;
      return new Payment(
          seen.terms(),
          seen.intentKey(),
          seen.intentId(),
          seen.clientSecret(),
          seen.status(),
          seen.paidCents(),
          seen.outcome(),
          seen.refunds(),
          seen.seenEvents(),
          true,
          seen.requestedAt());
    }
    throw new IllegalStateException("unexpected event " + event.getClass().getSimpleName());
  }

  /** The state after {@code events}, applied in order. */
  public State applyAll(State state, List<Event> events) {
    State next = state;
    for (Event e : events) next = apply(next, e);
    return next;
  }
}
