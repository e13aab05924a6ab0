package com.hearth.engine.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.Booking;
import com.hearth.engine.kitchen.BookingStatus;
import com.hearth.engine.kitchen.PriceBreakdown;
import com.hearth.engine.payment.PaymentDecisions.Decision;
import com.hearth.engine.payment.PaymentEntity.BookingConfirmedByPayment;
import com.hearth.engine.payment.PaymentEntity.Event;
import com.hearth.engine.payment.PaymentEntity.GatewayEventRecorded;
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
import com.hearth.engine.payment.PaymentEntity.RefundKind;
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
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The payment's rules as plain functions: no actor system, no gateway, the time passed in. The
 * booking costs 5413 cents, as in the entity tests.
 */
class PaymentDecisionsTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final long TOTAL = 5413;
  private static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  private static final Actor OTHER_RENTER = new Actor("renter-2", Set.of(Role.RENTER));
  private static final Actor HOST = new Actor("host-1", Set.of(Role.HOST));
  private static final Actor OTHER_HOST = new Actor("host-2", Set.of(Role.HOST));
  private static final Actor ADMIN = new Actor("admin-1", Set.of(Role.ADMIN));
  private static final String BOOKING = "k-1_b-1";
  private static final Terms TERMS =
      new Terms(BOOKING, "k-1", HOST.id(), RENTER.id(), TOTAL, "USD");

  /** The key of the host's partial refund {@code r-1}. */
  private static final String PARTIAL_KEY = "hearth:" + BOOKING + ":refund:partial:r-1";

  private final PaymentDecisions decisions = new PaymentDecisions(BOOKING);

  // ---------------------------------------------------------------- who may pay and refund

  @Test
  void onlyTheRenterPaysAndOnlyAHeldOrConfirmedBooking() {
    assertThat(PaymentDecisions.refusesToPay(booking(BookingStatus.HELD), RENTER)).isEmpty();
    assertThat(PaymentDecisions.refusesToPay(booking(BookingStatus.CONFIRMED), RENTER)).isEmpty();
    assertThat(PaymentDecisions.refusesToPay(booking(BookingStatus.HELD), OTHER_RENTER))
        .hasValue(new PaymentRejected(Rejection.of(Rejection.Code.NOT_FOUND, "no such booking")));
    for (BookingStatus over :
        List.of(BookingStatus.EXPIRED, BookingStatus.CANCELLED, BookingStatus.COMPLETED))
      assertThat(PaymentDecisions.refusesToPay(booking(over), RENTER))
          .get()
          .isEqualTo(
              new PaymentRejected(
                  Rejection.of(
                      Rejection.Code.INVALID_STATE, "a " + over + " booking takes no payment")));
    assertThat(PaymentDecisions.termsOf(booking(BookingStatus.HELD))).isEqualTo(TERMS);
  }

  @Test
  void theHostAdminsAndThePlatformRefund() {
    assertThat(PaymentDecisions.mayRefund(HOST.id(), HOST)).isTrue();
    assertThat(PaymentDecisions.mayRefund(HOST.id(), ADMIN)).isTrue();
    assertThat(PaymentDecisions.mayRefund(HOST.id(), Actor.SYSTEM)).isTrue();
    assertThat(PaymentDecisions.mayRefund(HOST.id(), OTHER_HOST)).isFalse();
    assertThat(PaymentDecisions.mayRefund(HOST.id(), RENTER)).isFalse();
    assertThat(PaymentDecisions.mayRefund(HOST.id(), new Actor(HOST.id(), Set.of(Role.RENTER))))
        .as("the host's id without the host role")
        .isFalse();
    assertThat(PaymentDecisions.refusesToRefund(booking(BookingStatus.CONFIRMED), HOST)).isEmpty();
    assertThat(PaymentDecisions.refusesToRefund(booking(BookingStatus.CONFIRMED), OTHER_HOST))
        .get()
        .extracting(PaymentRejected::code)
        .isEqualTo(Rejection.Code.FORBIDDEN);
  }

  // ---------------------------------------------------------------- the intent

  @Test
  void theRenterStartsAPaymentAndWaitsForTheIntentOnce() {
    Decision<PaymentReply> byOther =
        decisions.start(new StartPayment(OTHER_RENTER, TERMS, null), T0);
    assertThat(byOther.events()).isEmpty();
    assertThat(byOther.reply().apply(new NoPayment())).isEqualTo(PaymentDecisions.noSuchBooking());

    Decision<PaymentReply> first = decisions.start(new StartPayment(RENTER, TERMS, null), T0);
    assertThat(first.waitsForIntent()).isTrue();
    assertThat(first.events())
        .containsExactly(new IntentRequested(BOOKING, TERMS, "hearth:" + BOOKING + ":intent", T0));
    Payment requested = (Payment) decisions.applyAll(new NoPayment(), first.events());
    assertThat(requested.status()).isEqualTo(PaymentStatus.AWAITING_INTENT);
    assertThat(
            decisions.startAgain(requested, new StartPayment(RENTER, TERMS, null)).waitsForIntent())
        .isTrue();

    Payment ready =
        (Payment)
            decisions.applyAll(
                requested, decisions.intentMade(requested, requested.intentKey(), intent(), T0));
    assertThat(ready.status()).isEqualTo(PaymentStatus.REQUIRES_PAYMENT);
    assertThat(decisions.intentMade(ready, ready.intentKey(), intent(), T0))
        .as("an intent already known")
        .isEmpty();
    Decision<PaymentReply> again =
        decisions.startAgain(ready, new StartPayment(RENTER, TERMS, null));
    assertThat(again.waitsForIntent()).isFalse();
    assertThat(again.reply().apply(ready))
        .isInstanceOfSatisfying(
            PaymentAccepted.class,
            a -> assertThat(a.payment().clientSecret()).isEqualTo("pi_1_secret"));
  }

  @Test
  void anIntentTheGatewayNeverMadeIsRequestedAgainUnderTheNextKey() {
    Payment requested =
        (Payment)
            decisions.applyAll(
                new NoPayment(),
                decisions.start(new StartPayment(RENTER, TERMS, null), T0).events());
    List<Event> next = decisions.intentNotMade(requested, requested.intentKey(), T0.plusSeconds(5));
    assertThat(next)
        .containsExactly(
            new IntentRequested(
                BOOKING, TERMS, "hearth:" + BOOKING + ":intent:2", T0.plusSeconds(5)));
    Payment second = (Payment) decisions.applyAll(requested, next);
    assertThat(second.requestedAt())
        .as("the first request's time still bounds the lookups")
        .isEqualTo(T0);
    assertThat(decisions.intentNotMade(second, requested.intentKey(), T0))
        .as("a stale key changes nothing")
        .isEmpty();
  }

  // ---------------------------------------------------------------- gateway events

  @Test
  void aPaymentSucceedsOnceAndDuplicatesChangeNothing() {
    Payment ready = ready();
    Decision<Recorded> paid = decisions.gatewayEvent(ready, succeeded("evt_1"), T0);
    assertThat(paid.events())
        .containsExactly(new PaymentSucceeded(BOOKING, "evt_1", "pi_1", TOTAL, T0));
    Payment confirming = (Payment) decisions.applyAll(ready, paid.events());
    assertThat(confirming.outcome()).isEqualTo(PaymentOutcome.CONFIRMING);
    assertThat(confirming.status()).isEqualTo(PaymentStatus.SUCCEEDED);

    Decision<Recorded> duplicate = decisions.gatewayEvent(confirming, succeeded("evt_1"), T0);
    assertThat(duplicate.events()).isEmpty();
    assertThat(duplicate.reply().apply(confirming)).isEqualTo(new Recorded("evt_1", true));
    assertThat(decisions.gatewayEvent(confirming, succeeded("evt_2"), T0).events())
        .as("a second success is kept for the record only")
        .singleElement()
        .isInstanceOf(GatewayEventRecorded.class);
    assertThat(
            decisions
                .gatewayEvent(
                    confirming,
                    event("evt_3", GatewayEvent.PAYMENT_FAILED, "pi_1", null, 0, Map.of()),
                    T0)
                .events())
        .as("a failure after success does not undo it")
        .singleElement()
        .isInstanceOf(GatewayEventRecorded.class);
  }

  @Test
  void aFailedPaymentMayBeTriedAgainAndAnUnknownBookingsEventIsKept() {
    Payment ready = ready();
    List<Event> failed =
        decisions
            .gatewayEvent(
                ready, event("evt_1", GatewayEvent.PAYMENT_FAILED, "pi_1", null, 0, Map.of()), T0)
            .events();
    assertThat(failed).singleElement().isInstanceOf(PaymentFailed.class);
    Payment after = (Payment) decisions.applyAll(ready, failed);
    assertThat(after.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(decisions.gatewayEvent(after, succeeded("evt_2"), T0).events())
        .singleElement()
        .isInstanceOf(PaymentSucceeded.class);

    Decision<Recorded> unknown = decisions.gatewayEvent(new NoPayment(), succeeded("evt_9"), T0);
    assertThat(unknown.events()).singleElement().isInstanceOf(GatewayEventRecorded.class);
    assertThat(decisions.applyAll(new NoPayment(), unknown.events())).isInstanceOf(NoPayment.class);
  }

  @Test
  void aDisputeMarksThePayment() {
    Payment paid = paid();
    Payment disputed =
        (Payment)
            decisions.applyAll(
                paid,
                decisions
                    .gatewayEvent(
                        paid,
                        event(
                            "evt_d", GatewayEvent.DISPUTE_CREATED, "pi_1", "ch_1", TOTAL, Map.of()),
                        T0)
                    .events());
    assertThat(disputed.disputed()).isTrue();
    assertThat(disputed.outcome()).isEqualTo(PaymentOutcome.CONFIRMING);
  }

  // ---------------------------------------------------------------- the kitchen's answer

  @Test
  void aConfirmedBookingKeepsThePaymentAndALateOneIsRefundedWhatIsLeft() {
    Payment paid = paid();
    assertThat(decisions.kitchenAnswered(paid, true, T0))
        .containsExactly(new BookingConfirmedByPayment(BOOKING, "k-1", T0));
    Payment confirmed =
        (Payment) decisions.applyAll(paid, decisions.kitchenAnswered(paid, true, T0));
    assertThat(confirmed.outcome()).isEqualTo(PaymentOutcome.CONFIRMED);
    assertThat(decisions.kitchenAnswered(confirmed, false, T0)).as("answered already").isEmpty();

    // A host's 1000 refunded while the kitchen was asked: 5413 - 1000 = 4413 is left to return.
    Payment partlyRefunded = withHostRefund(paid, 1000);
    assertThat(decisions.kitchenAnswered(partlyRefunded, false, T0))
        .singleElement()
        .isInstanceOfSatisfying(
            RefundRequested.class,
            r -> {
              assertThat(r.amountCents()).isEqualTo(4413);
              assertThat(r.kind()).isEqualTo(RefundKind.LATE_PAYMENT);
              assertThat(r.actorRole()).isEqualTo(Role.SYSTEM);
            });
    Payment late =
        (Payment)
            decisions.applyAll(
                partlyRefunded, decisions.kitchenAnswered(partlyRefunded, false, T0));
    assertThat(late.outcome()).isEqualTo(PaymentOutcome.REFUNDED_LATE);

    Payment allRefunded = withHostRefund(paid, TOTAL);
    assertThat(decisions.kitchenAnswered(allRefunded, false, T0))
        .containsExactly(new LatePaymentSettled(BOOKING, T0));
  }

  // ---------------------------------------------------------------- refunds

  @Test
  void refundsAreTheHostsAndAdminsAndNeverMoreThanIsLeft() {
    assertThat(
            rejection(
                decisions.refund(
                    ready(),
                    new RequestRefund(HOST, "r-0", 100, null, RefundKind.PARTIAL, null),
                    T0)))
        .isEqualTo(Rejection.Code.INVALID_STATE);
    Payment paid = paid();
    assertThat(
            rejection(
                decisions.refund(
                    paid,
                    new RequestRefund(RENTER, "r-1", 100, null, RefundKind.PARTIAL, null),
                    T0)))
        .isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(
            rejection(
                decisions.refund(
                    paid,
                    new RequestRefund(OTHER_HOST, "r-1", 100, null, RefundKind.PARTIAL, null),
                    T0)))
        .as("another host does not see the payment")
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(
            rejection(
                decisions.refund(
                    paid,
                    new RequestRefund(HOST, "r-1", TOTAL + 1, null, RefundKind.PARTIAL, null),
                    T0)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);

    Decision<PaymentReply> first =
        decisions.refund(
            paid, new RequestRefund(HOST, "r-1", 500, "oven", RefundKind.PARTIAL, null), T0);
    assertThat(first.events())
        .containsExactly(
            new RefundRequested(
                BOOKING,
                PARTIAL_KEY,
                "r-1",
                500,
                RefundKind.PARTIAL,
                "oven",
                HOST.id(),
                Role.HOST,
                T0));
    Payment after = (Payment) decisions.applyAll(paid, first.events());
    assertThat(
            decisions
                .refund(
                    after,
                    new RequestRefund(HOST, "r-1", 500, "oven", RefundKind.PARTIAL, null),
                    T0)
                .events())
        .as("the same request again")
        .isEmpty();
    assertThat(
            rejection(
                decisions.refund(
                    after,
                    new RequestRefund(HOST, "r-1", 600, null, RefundKind.PARTIAL, null),
                    T0)))
        .isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    // 500 on its way: 5413 - 500 = 4913 left, so 4914 is too much.
    assertThat(
            rejection(
                decisions.refund(
                    after,
                    new RequestRefund(ADMIN, "r-2", 4914, null, RefundKind.PARTIAL, null),
                    T0)))
        .isEqualTo(Rejection.Code.INVALID_AMOUNT);
    assertThat(
            decisions
                .refund(
                    after,
                    new RequestRefund(ADMIN, "r-2", 4913, null, RefundKind.PARTIAL, null),
                    T0)
                .events())
        .singleElement()
        .isInstanceOfSatisfying(
            RefundRequested.class, r -> assertThat(r.actorRole()).isEqualTo(Role.ADMIN));
  }

  @Test
  void aCancellationRefundsItsPolicyAmountCappedAtWhatIsLeft() {
    Payment paid = paid();
    Payment after = withHostRefund(paid, 5000);
    // The policy says 5142, but only 5413 - 5000 = 413 is left.
    assertThat(
            decisions
                .refund(
                    after,
                    new RequestRefund(
                        Actor.SYSTEM, "cancel", 5142, null, RefundKind.CANCELLATION, null),
                    T0)
                .events())
        .singleElement()
        .isInstanceOfSatisfying(
            RefundRequested.class,
            r -> {
              assertThat(r.amountCents()).isEqualTo(413);
              assertThat(r.actorRole()).isEqualTo(Role.SYSTEM);
            });
    Payment none = withHostRefund(paid, TOTAL);
    Decision<PaymentReply> nothingLeft =
        decisions.refund(
            none,
            new RequestRefund(Actor.SYSTEM, "cancel", 5142, null, RefundKind.CANCELLATION, null),
            T0);
    assertThat(nothingLeft.events()).isEmpty();
    assertThat(nothingLeft.reply().apply(none)).isInstanceOf(PaymentAccepted.class);
  }

  @Test
  void aRefundTheGatewayMadeCountsAndOneItFailedFreesItsAmount() {
    Payment paid = paid();
    Payment requested = withHostRefund(paid, 500);
    String key = PARTIAL_KEY;

    List<Event> made =
        decisions.refundMade(
            requested, key, refund("re_1", PaymentGateway.RefundStatus.SUCCEEDED), T0);
    assertThat(made).containsExactly(new RefundSucceeded(BOOKING, key, "re_1", 500, T0));
    Payment refunded = (Payment) decisions.applyAll(requested, made);
    assertThat(refunded.refunded()).isEqualTo(500);
    assertThat(
            decisions.refundMade(
                refunded, key, refund("re_1", PaymentGateway.RefundStatus.SUCCEEDED), T0))
        .as("answered already")
        .isEmpty();

    // Made, then reported failed: the line is FAILED and no longer counts, so all 5413 may be
    // refunded again.
    Payment failed =
        (Payment)
            decisions.applyAll(
                refunded,
                decisions
                    .gatewayEvent(
                        refunded,
                        event(
                            "evt_rf",
                            GatewayEvent.REFUND_FAILED,
                            "pi_1",
                            "re_1",
                            500,
                            Map.of("refund_key", key)),
                        T0)
                    .events());
    assertThat(failed.refunds().get(key).status()).isEqualTo(RefundLineStatus.FAILED);
    assertThat(failed.refunded()).isZero();
    assertThat(failed.refundedOrPending()).isZero();

    List<Event> refusedAtOnce =
        decisions.refundMade(
            requested, key, refund("re_1", PaymentGateway.RefundStatus.CANCELED), T0);
    assertThat(refusedAtOnce).singleElement().isInstanceOf(RefundRejected.class);
    assertThat(((Payment) decisions.applyAll(requested, refusedAtOnce)).refundedOrPending())
        .isZero();
  }

  @Test
  void aRefundTheGatewayNeverMadeMovesToTheNextAttemptsKey() {
    Payment paid = paid();
    Payment requested = withHostRefund(paid, 500);
    String key = PARTIAL_KEY;
    assertThat(requested.refunds().get(key).gatewayKey()).isEqualTo(key);
    List<Event> abandoned = decisions.refundNotMade(requested, key, T0);
    assertThat(abandoned).containsExactly(new RefundAttemptAbandoned(BOOKING, key, 2, T0));
    Payment next = (Payment) decisions.applyAll(requested, abandoned);
    assertThat(next.refunds().get(key).gatewayKey()).isEqualTo(key + ":2");
    assertThat(next.refunds().get(key).status()).isEqualTo(RefundLineStatus.REQUESTED);
    assertThat(decisions.refundRefused(next, key, "no", T0))
        .singleElement()
        .isInstanceOf(RefundRejected.class);
  }

  // ---------------------------------------------------------------- helpers

  private static Booking booking(BookingStatus status) {
    Instant start = T0.plusSeconds(50 * 3600);
    return new Booking(
        BOOKING,
        "k-1",
        HOST.id(),
        RENTER.id(),
        new Interval(start, start.plusSeconds(7200)),
        status,
        new PriceBreakdown(5000, 750, 413, TOTAL, 4250, "USD"),
        T0,
        T0.plusSeconds(600),
        null,
        null,
        null,
        null,
        null,
        null,
        0);
  }

  private static Intent intent() {
    return new Intent(
        "pi_1",
        "pi_1_secret",
        TOTAL,
        0,
        "USD",
        PaymentGateway.IntentStatus.REQUIRES_PAYMENT_METHOD,
        Map.of("booking_id", BOOKING),
        T0);
  }

  private static Refund refund(String id, PaymentGateway.RefundStatus status) {
    return new Refund(id, "pi_1", 500, "USD", status, Map.of(), T0);
  }

  private static GatewayEvent event(
      String id,
      String type,
      String intentId,
      String objectId,
      long amount,
      Map<String, String> metadata) {
    return new GatewayEvent(id, type, T0, intentId, objectId, amount, "USD", metadata);
  }

  private static GatewayEvent succeeded(String id) {
    return event(
        id, GatewayEvent.PAYMENT_SUCCEEDED, "pi_1", "ch_1", TOTAL, Map.of("booking_id", BOOKING));
  }

  /** A payment whose intent exists, not yet paid. */
  private Payment ready() {
    State s =
        decisions.applyAll(
            new NoPayment(), decisions.start(new StartPayment(RENTER, TERMS, null), T0).events());
    return (Payment)
        decisions.applyAll(
            s,
            List.of(
                new IntentCreated(BOOKING, ((Payment) s).intentKey(), "pi_1", "pi_1_secret", T0)));
  }

  /** The host's partial refund {@code r-1} of {@code amount}, requested. */
  private Payment withHostRefund(Payment p, long amount) {
    return (Payment)
        decisions.applyAll(
            p,
            decisions
                .refund(
                    p, new RequestRefund(HOST, "r-1", amount, null, RefundKind.PARTIAL, null), T0)
                .events());
  }

  /** Paid in full, the kitchen not yet answered. */
  private Payment paid() {
    Payment ready = ready();
    return (Payment)
        decisions.applyAll(
            ready, decisions.gatewayEvent(ready, succeeded("evt_paid"), T0).events());
  }

  private static Rejection.Code rejection(Decision<PaymentReply> decision) {
    assertThat(decision.events()).isEmpty();
    PaymentReply reply = decision.reply().apply(null);
    assertThat(reply).isInstanceOf(PaymentRejected.class);
    return ((PaymentRejected) reply).code();
  }
}
