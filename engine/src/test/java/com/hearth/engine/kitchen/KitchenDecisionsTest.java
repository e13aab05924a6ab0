package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.RuleViolation;
import com.hearth.engine.kitchen.KitchenDecisions.Decision;
import com.hearth.engine.kitchen.KitchenDecisions.HoldAccepted;
import com.hearth.engine.kitchen.KitchenDecisions.HoldBatch;
import com.hearth.engine.kitchen.KitchenDecisions.HoldRefused;
import com.hearth.engine.kitchen.KitchenDecisions.HoldReplayed;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.GetAvailability;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenPublished;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PauseKitchen;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.Unlisted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kitchen's rules as plain functions: no actor system, no clock, the time passed in. The
 * kitchen and prices are the entity tests' (see {@link KitchenEntityFixture}): a 2-hour booking
 * costs 5000 + 413 tax = 5413, of which the platform keeps 750.
 */
class KitchenDecisionsTest {

  private static final KitchenConfig CONFIG = KitchenEntityFixture.CONFIG;
  private static final Instant T0 = KitchenEntityFixture.T0;
  private static final Actor HOST = KitchenEntityFixture.HOST;
  private static final Actor RENTER = KitchenEntityFixture.RENTER;
  private static final Actor OTHER_RENTER = KitchenEntityFixture.OTHER_RENTER;
  private static final Actor ADMIN = KitchenEntityFixture.ADMIN;
  private static final Actor OPERATOR = new Actor("op-1", Set.of(Role.OPERATOR));

  /** Wednesday 2026-06-03 14:00-16:00Z, 50 hours after T0. */
  private static final Interval SLOT_A = KitchenEntityFixture.SLOT_A;

  private static final Interval SLOT_B = KitchenEntityFixture.SLOT_B;

  private final String kitchenId = KitchenIds.newKitchenId();
  private final KitchenDecisions decisions = new KitchenDecisions(kitchenId, CONFIG);

  // ---------------------------------------------------------------- the listing

  @Test
  void kitchenListsShowPublishedKitchensToAnyoneAndEveryStatusToAdminsAndOperators() {
    assertThat(KitchenDecisions.listedByDefault(RENTER)).containsExactly(KitchenStatus.PUBLISHED);
    assertThat(KitchenDecisions.listedByDefault(HOST)).containsExactly(KitchenStatus.PUBLISHED);
    assertThat(KitchenDecisions.listedByDefault(ADMIN))
        .containsExactlyInAnyOrder(KitchenStatus.values());
    assertThat(KitchenDecisions.listedByDefault(OPERATOR))
        .containsExactlyInAnyOrder(KitchenStatus.values());

    assertThat(KitchenDecisions.refusesToList(Set.of(KitchenStatus.PUBLISHED), RENTER)).isEmpty();
    assertThat(KitchenDecisions.refusesToList(Set.of(KitchenStatus.DRAFT), HOST))
        .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(Rejection.Code.FORBIDDEN));
    assertThat(
            KitchenDecisions.refusesToList(
                Set.of(KitchenStatus.PUBLISHED, KitchenStatus.PAUSED), RENTER))
        .isPresent();
    assertThat(
            KitchenDecisions.refusesToList(
                Set.of(KitchenStatus.DRAFT, KitchenStatus.PAUSED), OPERATOR))
        .isEmpty();
  }

  @Test
  void onlyConfirmedAndCompletedBookingsCountAsConfirmed() {
    assertThat(
            java.util.Arrays.stream(BookingStatus.values())
                .filter(BookingStatus::countsAsConfirmed))
        .containsExactly(BookingStatus.CONFIRMED, BookingStatus.COMPLETED);
  }

  @Test
  void onlyHostsCreateKitchensAndANewKitchenIsADraft() {
    Decision<KitchenReply> byRenter =
        decisions.create(new CreateKitchen(RENTER, KitchenEntityFixture.SETTINGS, "fp", null), T0);
    assertThat(byRenter.events()).isEmpty();
    assertThat(replyOf(new Unlisted(), byRenter))
        .isInstanceOfSatisfying(
            KitchenRejected.class,
            r -> assertThat(r.rejection().code()).isEqualTo(Rejection.Code.FORBIDDEN));

    Decision<KitchenReply> byHost =
        decisions.create(new CreateKitchen(HOST, KitchenEntityFixture.SETTINGS, "fp", null), T0);
    assertThat(byHost.events())
        .singleElement()
        .isInstanceOfSatisfying(
            KitchenCreated.class,
            e -> {
              assertThat(e.hostId()).isEqualTo(HOST.id());
              assertThat(e.at()).isEqualTo(T0);
            });
    assertThat(replyOf(new Unlisted(), byHost))
        .isInstanceOfSatisfying(
            KitchenAccepted.class,
            a -> assertThat(a.kitchen().status()).isEqualTo(KitchenStatus.DRAFT));
  }

  @Test
  void hostRightsNeedTheHostRoleNotJustTheHostsId() {
    // A token of another role that carries the host's id (a renter account named like it).
    Actor sameIdNoHostRole = new Actor(HOST.id(), Set.of(Role.RENTER));
    Listed draft = created(KitchenEntityFixture.SETTINGS);
    assertThat(
            rejection(
                replyOf(
                    draft,
                    decisions.publish(draft, new PublishKitchen(sameIdNoHostRole, null), T0))))
        .as("not even visible as a draft")
        .isEqualTo(Rejection.Code.NOT_FOUND);
    Listed published =
        (Listed)
            decisions.applyAll(
                draft, decisions.publish(draft, new PublishKitchen(HOST, null), T0).events());
    assertThat(
            rejection(
                replyOf(
                    published,
                    decisions.pause(published, new PauseKitchen(sameIdNoHostRole, null), T0))))
        .isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(published.view().canManage(sameIdNoHostRole)).isFalse();
    assertThat(published.view().canManage(HOST)).isTrue();
  }

  @Test
  void aDraftPublishesOnceAndOnlyAPublishedKitchenPauses() {
    Listed draft = created(KitchenEntityFixture.SETTINGS);
    Decision<KitchenReply> pauseDraft = decisions.pause(draft, new PauseKitchen(HOST, null), T0);
    assertThat(pauseDraft.events()).isEmpty();
    assertThat(rejection(replyOf(draft, pauseDraft))).isEqualTo(Rejection.Code.INVALID_STATE);

    assertThat(decisions.publish(draft, new PublishKitchen(OTHER_RENTER, null), T0).events())
        .as("a draft is its host's business")
        .isEmpty();
    assertThat(
            rejection(
                replyOf(
                    draft, decisions.publish(draft, new PublishKitchen(OTHER_RENTER, null), T0))))
        .isEqualTo(Rejection.Code.NOT_FOUND);

    Decision<KitchenReply> publish = decisions.publish(draft, new PublishKitchen(HOST, null), T0);
    assertThat(publish.events())
        .containsExactly(new KitchenPublished(kitchenId, HOST.id(), Role.HOST, T0));
    Listed published = (Listed) decisions.applyAll(draft, publish.events());
    assertThat(decisions.publish(published, new PublishKitchen(HOST, null), T0).events())
        .as("already published")
        .isEmpty();
    assertThat(
            rejection(
                replyOf(
                    published,
                    decisions.pause(published, new PauseKitchen(OTHER_RENTER, null), T0))))
        .as("visible once published, but not another's to change")
        .isEqualTo(Rejection.Code.FORBIDDEN);
  }

  @Test
  void theHostAndAdminsManageAKitchen() {
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    assertThat(kitchen.view().canManage(HOST)).isTrue();
    assertThat(kitchen.view().canManage(ADMIN)).isTrue();
    assertThat(kitchen.view().canManage(RENTER)).isFalse();
    assertThat(kitchen.view().canManage(new Actor("host-2", Set.of(Role.HOST)))).isFalse();
  }

  // ---------------------------------------------------------------- holds

  @Test
  void aHoldIsPricedByTheServerAndLastsTheHoldTime() {
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    HoldBatch batch = decisions.holds(kitchen, List.of(hold(RENTER, SLOT_A, null)), T0);
    assertThat(batch.outcomes()).singleElement().isInstanceOf(HoldAccepted.class);
    assertThat(batch.events())
        .singleElement()
        .isInstanceOfSatisfying(
            SlotHeld.class,
            e -> {
              assertThat(e.price()).isEqualTo(KitchenEntityFixture.TWO_HOURS);
              assertThat(e.holdExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
              assertThat(e.renterId()).isEqualTo(RENTER.id());
            });
    assertThat(batch.after().bookings()).hasSize(1);
  }

  @Test
  void overlappingHoldsAreRefusedInOrderWithinABatch() {
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    // 15:00-17:00Z overlaps A (14:00-16:00Z) by an hour; B is clear of both.
    Interval overlapping =
        new Interval(
            SLOT_A.start().plus(Duration.ofHours(1)), SLOT_A.end().plus(Duration.ofHours(1)));
    HoldBatch batch =
        decisions.holds(
            kitchen,
            List.of(
                hold(RENTER, SLOT_A, null),
                hold(OTHER_RENTER, overlapping, null),
                hold(OTHER_RENTER, SLOT_B, null)),
            T0);
    assertThat(batch.outcomes()).hasSize(3);
    assertThat(batch.outcomes().get(0)).isInstanceOf(HoldAccepted.class);
    assertThat(batch.outcomes().get(1))
        .isInstanceOfSatisfying(
            HoldRefused.class,
            r -> assertThat(r.rejection().code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE));
    assertThat(batch.outcomes().get(2)).isInstanceOf(HoldAccepted.class);
    assertThat(batch.events()).hasSize(2).allMatch(e -> e instanceof SlotHeld);
  }

  @Test
  void theCleaningBufferKeepsAdjacentSlotsApart() {
    Listed kitchen =
        published(KitchenEntityFixture.withRules(KitchenEntityFixture.WITH_30_MIN_BUFFER));
    Listed held = decisions.holds(kitchen, List.of(hold(RENTER, SLOT_A, null)), T0).after();
    // Starts when A ends: inside A's 30-minute buffer. Thirty minutes later it is clear.
    Interval adjacent = new Interval(SLOT_A.end(), SLOT_A.end().plus(Duration.ofHours(1)));
    Interval afterBuffer =
        new Interval(
            SLOT_A.end().plus(Duration.ofMinutes(30)), SLOT_A.end().plus(Duration.ofMinutes(90)));
    assertThat(decisions.holds(held, List.of(hold(OTHER_RENTER, adjacent, null)), T0).outcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            HoldRefused.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
              assertThat(r.rejection().detail()).endsWith("or its cleaning buffer");
            });
    assertThat(decisions.holds(held, List.of(hold(OTHER_RENTER, afterBuffer, null)), T0).outcomes())
        .singleElement()
        .isInstanceOf(HoldAccepted.class);
  }

  @Test
  void anExpiredHoldFreesItsSlotAndIsExpiredInTheSameWrite() {
    HoldBatch first = heldA();
    String firstId = heldId(first);
    Instant expiry = T0.plus(Duration.ofMinutes(10));

    // A second before expiry the slot is still taken; at expiry it is free again.
    assertThat(
            decisions
                .holds(
                    first.after(),
                    List.of(hold(OTHER_RENTER, SLOT_A, null)),
                    expiry.minusSeconds(1))
                .outcomes())
        .singleElement()
        .isInstanceOf(HoldRefused.class);
    HoldBatch second =
        decisions.holds(first.after(), List.of(hold(OTHER_RENTER, SLOT_A, null)), expiry);
    assertThat(second.outcomes()).singleElement().isInstanceOf(HoldAccepted.class);
    assertThat(second.events()).hasSize(2);
    assertThat(second.events().get(0)).isEqualTo(new HoldExpired(kitchenId, firstId, expiry));
    assertThat(second.after().bookings().get(firstId).status()).isEqualTo(BookingStatus.EXPIRED);
  }

  @Test
  void aSlotBeyondTheHorizonBreaksABookingRule() {
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    // 180 days ahead is the horizon: a slot starting a day past it breaks the rule.
    Instant beyond = T0.plus(Duration.ofDays(181)).plus(Duration.ofHours(2));
    HoldBatch batch =
        decisions.holds(
            kitchen,
            List.of(hold(RENTER, new Interval(beyond, beyond.plus(Duration.ofHours(2))), null)),
            T0);
    assertThat(batch.events()).isEmpty();
    assertThat(batch.outcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            HoldRefused.class,
            r -> assertThat(r.rejection().rule()).isEqualTo(RuleViolation.BEYOND_HORIZON));
  }

  @Test
  void onlyRentersHoldAndOnlyInAPublishedKitchen() {
    Listed draft = created(KitchenEntityFixture.SETTINGS);
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    assertThat(refusal(decisions.holds(kitchen, List.of(hold(HOST, SLOT_A, null)), T0)))
        .isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(refusal(decisions.holds(draft, List.of(hold(RENTER, SLOT_A, null)), T0)))
        .as("a draft is invisible to renters")
        .isEqualTo(Rejection.Code.NOT_FOUND);
    Listed paused =
        (Listed)
            decisions.applyAll(
                kitchen, decisions.pause(kitchen, new PauseKitchen(HOST, null), T0).events());
    assertThat(refusal(decisions.holds(paused, List.of(hold(RENTER, SLOT_A, null)), T0)))
        .isEqualTo(Rejection.Code.KITCHEN_NOT_BOOKABLE);
  }

  @Test
  void anIdempotencyKeyReplaysItsHoldForTheSameSlotOnly() {
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    HoldBatch first = decisions.holds(kitchen, List.of(hold(RENTER, SLOT_A, "k-1")), T0);
    String bookingId = heldId(first);

    HoldBatch again =
        decisions.holds(first.after(), List.of(hold(RENTER, SLOT_A, "k-1")), T0.plusSeconds(30));
    assertThat(again.events()).isEmpty();
    assertThat(again.outcomes()).containsExactly(new HoldReplayed(bookingId));
    assertThat(
            refusal(
                decisions.holds(
                    first.after(), List.of(hold(RENTER, SLOT_B, "k-1")), T0.plusSeconds(30))))
        .isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    assertThat(
            decisions
                .holds(
                    first.after(), List.of(hold(OTHER_RENTER, SLOT_B, "k-1")), T0.plusSeconds(30))
                .outcomes())
        .as("another renter's key of the same name is another request")
        .singleElement()
        .isInstanceOf(HoldAccepted.class);
  }

  // ---------------------------------------------------------------- confirm and cancel

  @Test
  void adminsConfirmALiveHoldAndAnExpiredOneIsExpiredAndRefused() {
    HoldBatch held = heldA();
    String id = heldId(held);

    Decision<BookingReply> byRenter =
        decisions.confirm(held.after(), new ConfirmBooking(RENTER, id, null), T0);
    assertThat(byRenter.events()).isEmpty();
    assertThat(bookingRejection(replyOf(held.after(), byRenter)))
        .isEqualTo(Rejection.Code.FORBIDDEN);

    Decision<BookingReply> byAdmin =
        decisions.confirm(held.after(), new ConfirmBooking(ADMIN, id, null), T0);
    assertThat(byAdmin.events())
        .containsExactly(new BookingConfirmed(kitchenId, id, ADMIN.id(), Role.ADMIN, T0));
    assertThat(replyOf(held.after(), byAdmin))
        .isInstanceOfSatisfying(
            BookingAccepted.class,
            a -> assertThat(a.booking().status()).isEqualTo(BookingStatus.CONFIRMED));

    Instant expiry = T0.plus(Duration.ofMinutes(10));
    Decision<BookingReply> late =
        decisions.confirm(held.after(), new ConfirmBooking(Actor.SYSTEM, id, null), expiry);
    assertThat(late.events()).containsExactly(new HoldExpired(kitchenId, id, expiry));
    assertThat(replyOf(held.after(), late))
        .isInstanceOfSatisfying(
            BookingRejected.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(Rejection.Code.INVALID_STATE);
              assertThat(r.rejection().detail()).isEqualTo("the hold expired at " + expiry);
            });
  }

  @Test
  void aRenterCancellingIsRefundedByNoticeAndAHostInFull() {
    Listed confirmed = confirmedBooking();
    String id = confirmed.bookings().keySet().iterator().next();
    // At T0 the booking starts in 50 h: 5413 - round_half_up(5413 * 5 / 100 = 270.65) = 5413 - 271
    // = 5142.
    assertThat(
            refundOf(
                decisions.cancel(
                    confirmed, new CancelBooking(RENTER, id, "plans changed", null), T0)))
        .isEqualTo(5142);
    // 4 h later, 46 h to go: half, round_half_up(2706.5) = 2707.
    assertThat(
            refundOf(
                decisions.cancel(
                    confirmed,
                    new CancelBooking(RENTER, id, null, null),
                    T0.plus(Duration.ofHours(4)))))
        .isEqualTo(2707);
    // 30 h later, 20 h to go: nothing.
    assertThat(
            refundOf(
                decisions.cancel(
                    confirmed,
                    new CancelBooking(RENTER, id, null, null),
                    T0.plus(Duration.ofHours(30)))))
        .isZero();
    // The host refunds in full whenever it cancels.
    assertThat(
            refundOf(
                decisions.cancel(
                    confirmed,
                    new CancelBooking(HOST, id, null, null),
                    T0.plus(Duration.ofHours(30)))))
        .isEqualTo(5413);
  }

  @Test
  void operatorsCannotCancelAndAnEndedBookingCannotBeCancelled() {
    Listed confirmed = confirmedBooking();
    String id = confirmed.bookings().keySet().iterator().next();
    Decision<BookingReply> byOperator =
        decisions.cancel(confirmed, new CancelBooking(OPERATOR, id, null, null), T0);
    assertThat(byOperator.events()).isEmpty();
    assertThat(bookingRejection(replyOf(confirmed, byOperator)))
        .isEqualTo(Rejection.Code.FORBIDDEN);
    Decision<BookingReply> afterEnd =
        decisions.cancel(confirmed, new CancelBooking(HOST, id, null, null), SLOT_A.end());
    assertThat(afterEnd.events()).isEmpty();
    assertThat(bookingRejection(replyOf(confirmed, afterEnd)))
        .isEqualTo(Rejection.Code.INVALID_STATE);
  }

  @Test
  void cancellingAHoldCostsNothingAndAnotherRentersBookingIsNotFound() {
    HoldBatch held = heldA();
    String id = heldId(held);
    assertThat(
            refundOf(decisions.cancel(held.after(), new CancelBooking(RENTER, id, null, null), T0)))
        .isZero();
    Decision<BookingReply> byOther =
        decisions.cancel(held.after(), new CancelBooking(OTHER_RENTER, id, null, null), T0);
    assertThat(bookingRejection(replyOf(held.after(), byOther)))
        .isEqualTo(Rejection.Code.NOT_FOUND);
  }

  // ---------------------------------------------------------------- what falls due

  @Test
  void settlingExpiresDueHoldsAndCompletesEndedBookings() {
    Listed confirmed = confirmedBooking();
    String confirmedId = confirmed.bookings().keySet().iterator().next();
    Instant holdTime = SLOT_A.end().minus(Duration.ofMinutes(5));
    HoldBatch later =
        decisions.holds(confirmed, List.of(hold(OTHER_RENTER, SLOT_B, null)), holdTime);
    String heldId = heldId(later);

    assertThat(decisions.settleDue(later.after(), holdTime)).isEmpty();
    // At A's end (hold placed 5 minutes before, lasting 10): A completes, the hold is still live.
    assertThat(decisions.settleDue(later.after(), SLOT_A.end()))
        .containsExactly(new BookingCompleted(kitchenId, confirmedId, SLOT_A.end()));
    Instant both = holdTime.plus(Duration.ofMinutes(10));
    assertThat(decisions.settleDue(later.after(), both))
        .containsExactly(
            new HoldExpired(kitchenId, heldId, both),
            new BookingCompleted(kitchenId, confirmedId, both));
  }

  @Test
  void settledBookingsAreForgottenOnceTheRetentionWindowHasPassed() {
    HoldBatch held = heldA();
    String id = heldId(held);
    Instant expiry = T0.plus(Duration.ofMinutes(10));
    Listed expired =
        (Listed) decisions.applyAll(held.after(), decisions.settleDue(held.after(), expiry));
    assertThat(expired.bookings().get(id).status()).isEqualTo(BookingStatus.EXPIRED);
    // Retention is 30 days: any event a day later than that prunes the expired booking.
    Instant past = expiry.plus(Duration.ofDays(31));
    HoldBatch next =
        decisions.holds(
            expired, List.of(hold(OTHER_RENTER, shifted(SLOT_A, Duration.ofDays(31)), null)), past);
    assertThat(next.after().bookings()).doesNotContainKey(id).hasSize(1);
  }

  @Test
  void availabilityLeavesOutLiveBookings() {
    Listed kitchen = published(KitchenEntityFixture.SETTINGS);
    Listed held = decisions.holds(kitchen, List.of(hold(RENTER, SLOT_A, null)), T0).after();
    Interval day =
        new Interval(
            SLOT_A.start().minus(Duration.ofHours(2)), SLOT_A.end().plus(Duration.ofHours(2)));
    assertThat(decisions.availability(held, new GetAvailability(RENTER, day, null), T0))
        .isInstanceOfSatisfying(
            Availability.class,
            a ->
                assertThat(a.free())
                    .containsExactly(
                        new Interval(day.start(), SLOT_A.start()),
                        new Interval(SLOT_A.end(), day.end())));
  }

  // ---------------------------------------------------------------- helpers

  private Listed created(KitchenSettings settings) {
    return (Listed)
        decisions.applyAll(
            new Unlisted(),
            decisions.create(new CreateKitchen(HOST, settings, "fp", null), T0).events());
  }

  private Listed published(KitchenSettings settings) {
    Listed draft = created(settings);
    return (Listed)
        decisions.applyAll(
            draft, decisions.publish(draft, new PublishKitchen(HOST, null), T0).events());
  }

  /** A published kitchen in which RENTER holds SLOT_A at T0. */
  private HoldBatch heldA() {
    return decisions.holds(
        published(KitchenEntityFixture.SETTINGS), List.of(hold(RENTER, SLOT_A, null)), T0);
  }

  /** The booking the batch's first hold made. */
  private static String heldId(HoldBatch batch) {
    return ((SlotHeld) batch.events().get(0)).bookingId();
  }

  /** A published kitchen with SLOT_A held by RENTER at T0 and confirmed by an admin. */
  private Listed confirmedBooking() {
    HoldBatch held = heldA();
    String id = heldId(held);
    return (Listed)
        decisions.applyAll(
            held.after(),
            decisions.confirm(held.after(), new ConfirmBooking(ADMIN, id, null), T0).events());
  }

  private HoldSlot hold(Actor renter, Interval slot, String key) {
    return new HoldSlot(renter, KitchenIds.newBookingId(kitchenId), slot, key, null);
  }

  private <R> R replyOf(KitchenEntity.State before, Decision<R> decision) {
    return decision.reply().apply(decisions.applyAll(before, decision.events()));
  }

  private static Rejection.Code rejection(KitchenReply reply) {
    assertThat(reply).isInstanceOf(KitchenRejected.class);
    return ((KitchenRejected) reply).rejection().code();
  }

  private static Rejection.Code bookingRejection(BookingReply reply) {
    assertThat(reply).isInstanceOf(BookingRejected.class);
    return ((BookingRejected) reply).rejection().code();
  }

  private static Rejection.Code refusal(HoldBatch batch) {
    assertThat(batch.events()).isEmpty();
    assertThat(batch.outcomes()).singleElement().isInstanceOf(HoldRefused.class);
    return ((HoldRefused) batch.outcomes().get(0)).rejection().code();
  }

  private static long refundOf(Decision<BookingReply> cancelled) {
    assertThat(cancelled.events()).singleElement().isInstanceOf(BookingCancelled.class);
    return ((BookingCancelled) cancelled.events().get(0)).refundCents();
  }

  private static Interval shifted(Interval slot, Duration by) {
    return new Interval(slot.start().plus(by), slot.end().plus(by));
  }
}
