package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.FieldError;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.Availability;
import com.hearth.engine.kitchen.KitchenEntity.AvailabilityReply;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.CreateKitchen;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetAvailability;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import com.hearth.engine.kitchen.KitchenEntity.KitchenAccepted;
import com.hearth.engine.kitchen.KitchenEntity.KitchenCreated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenRejected;
import com.hearth.engine.kitchen.KitchenEntity.KitchenReply;
import com.hearth.engine.kitchen.KitchenEntity.KitchenUpdated;
import com.hearth.engine.kitchen.KitchenEntity.KitchenView;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.PauseKitchen;
import com.hearth.engine.kitchen.KitchenEntity.PublishKitchen;
import com.hearth.engine.kitchen.KitchenEntity.SettleDue;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.State;
import com.hearth.engine.kitchen.KitchenEntity.UpdateKitchen;
import com.hearth.testing.TestClock;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kitchen entity under the behaviour test kit, with serialization of every command, event and
 * state checked (Jackson CBOR) and deserialized copies compared for equality.
 *
 * <p>Time is a {@link TestClock} (stopped) starting Monday 2026-06-01 12:00Z (08:00 EDT). The kitchen is in
 * New York at 2500 cents an hour with 8.25 % tax and the default rules (30-minute slots, 1 h to
 * 12 h, 1 h notice, 180 days ahead). A 2-hour booking therefore costs, by hand: subtotal
 * 2500 * 120 / 60 = 5000; fee 15 % = 750; tax 5000 * 0.0825 = 412.5 -> 413; total 5413; host
 * payout 5000 - 750 = 4250.
 */
class KitchenEntityTest {

  private static final KitchenConfig CONFIG = new KitchenConfig(
      Duration.ofMinutes(10), 1500, Duration.ofDays(30), Duration.ofHours(24), Duration.ofMinutes(2), 100, 62);

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private static final Actor HOST = new Actor("host-1", Set.of(Role.HOST));
  private static final Actor RENTER = new Actor("renter-1", Set.of(Role.RENTER));
  private static final Actor OTHER_RENTER = new Actor("renter-2", Set.of(Role.RENTER));
  private static final Actor THIRD_RENTER = new Actor("renter-3", Set.of(Role.RENTER));
  private static final Actor ADMIN = new Actor("admin-1", Set.of(Role.ADMIN));

  private static final KitchenSettings SETTINGS = new KitchenSettings("Night Kitchen", "1 Main St, Brooklyn", "New York",
      "America/New_York", "USD", 2500, 825, BookingRules.DEFAULTS, OpeningHours.AROUND_THE_CLOCK, List.of());

  private static final BookingRules WITH_30_MIN_BUFFER = new BookingRules(30, 60, 720, 60, 180, 30);

  /** Wednesday 2026-06-03 10:00-12:00 EDT. */
  private static final Interval SLOT_A = slot("2026-06-03T14:00:00Z", "2026-06-03T16:00:00Z");
  /** Wednesday 2026-06-03 14:00-15:00 EDT, well clear of A. */
  private static final Interval SLOT_B = slot("2026-06-03T18:00:00Z", "2026-06-03T19:00:00Z");

  private static final PriceBreakdown TWO_HOURS = new PriceBreakdown(5000, 750, 413, 5413, 4250, "USD");

  private static ActorTestKit testKit;

  private TestClock clock;
  private String kitchenId;
  private EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeAll
  static void startActorSystem() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newKitchen() {
    clock = TestClock.stoppedAt(T0);
    kitchenId = KitchenIds.newKitchenId();
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), KitchenEntity.create(kitchenId, null, CONFIG, clock),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  // ---------------------------------------------------------------- listing

  @Test
  void createMakesADraft() {
    CommandResultWithReply<Command, Event, State, KitchenReply> result =
        kit.runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp-1", r));
    KitchenAccepted accepted = result.replyOfType(KitchenAccepted.class);
    assertThat(accepted.replayed()).isFalse();
    assertThat(accepted.kitchen()).isEqualTo(new KitchenView(kitchenId, "host-1", KitchenStatus.DRAFT, SETTINGS, T0, T0));
    assertThat(result.events()).containsExactly(new KitchenCreated(kitchenId, "host-1", SETTINGS, "fp-1", T0, null, null));
    assertThat(result.stateOfType(Listed.class).status()).isEqualTo(KitchenStatus.DRAFT);
  }

  @Test
  void retriedCreateIsReplayedAndAChangedBodyIsRejected() {
    createKitchen(SETTINGS);
    CommandResultWithReply<Command, Event, State, KitchenReply> again =
        kit.runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp-create", r));
    assertThat(again.replyOfType(KitchenAccepted.class).replayed()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    CommandResultWithReply<Command, Event, State, KitchenReply> changed =
        kit.runCommand(r -> new CreateKitchen(HOST, SETTINGS, "fp-other", r));
    assertThat(changed.replyOfType(KitchenRejected.class).rejection().code())
        .isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    assertThat(changed.hasNoEvents()).isTrue();
  }

  @Test
  void holdOnADraftIsNotFoundAndOnAPausedKitchenNotBookable() {
    createKitchen(SETTINGS);
    // A draft is hidden from renters, so holding it looks like holding a kitchen that does not exist.
    CommandResultWithReply<Command, Event, State, BookingReply> onDraft = hold(RENTER, SLOT_A, null);
    assertThat(rejectionOf(onDraft).code()).isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(onDraft.hasNoEvents()).isTrue();

    publish();
    kit.<KitchenReply>runCommand(r -> new PauseKitchen(HOST, r)).replyOfType(KitchenAccepted.class);
    CommandResultWithReply<Command, Event, State, BookingReply> onPaused = hold(RENTER, SLOT_A, null);
    assertThat(rejectionOf(onPaused).code()).isEqualTo(Rejection.Code.KITCHEN_NOT_BOOKABLE);
    assertThat(onPaused.hasNoEvents()).isTrue();
  }

  @Test
  void publishThenHoldGivesAHeldBookingWithTheExactPrice() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = KitchenIds.newBookingId(kitchenId);
    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new HoldSlot(RENTER, bookingId, SLOT_A, null, r));

    BookingAccepted accepted = result.replyOfType(BookingAccepted.class);
    assertThat(accepted.replayed()).isFalse();
    Booking booking = accepted.booking();
    assertThat(booking.bookingId()).isEqualTo(bookingId);
    assertThat(booking.kitchenId()).isEqualTo(kitchenId);
    assertThat(booking.hostId()).isEqualTo("host-1");
    assertThat(booking.renterId()).isEqualTo("renter-1");
    assertThat(booking.slot()).isEqualTo(SLOT_A);
    assertThat(booking.status()).isEqualTo(BookingStatus.HELD);
    assertThat(booking.price()).isEqualTo(TWO_HOURS);
    assertThat(booking.heldAt()).isEqualTo(T0);
    assertThat(booking.holdExpiresAt()).isEqualTo(Instant.parse("2026-06-01T12:10:00Z")); // T0 + 10 min hold

    SlotHeld event = result.eventOfType(SlotHeld.class);
    assertThat(result.events()).hasSize(1);
    assertThat(event.bookingId()).isEqualTo(bookingId);
    assertThat(event.price()).isEqualTo(TWO_HOURS);
    assertThat(event.holdExpiresAt()).isEqualTo(Instant.parse("2026-06-01T12:10:00Z"));
    assertThat(event.at()).isEqualTo(T0);
  }

  @Test
  void holdsThatBreakARuleOrComeFromNonRentersAreRejected() {
    createKitchen(SETTINGS);
    publish();
    // Starts 30 minutes ago.
    CommandResultWithReply<Command, Event, State, BookingReply> past =
        hold(RENTER, slot("2026-06-01T11:30:00Z", "2026-06-01T12:30:00Z"), null);
    assertThat(rejectionOf(past).code()).isEqualTo(Rejection.Code.RULE_VIOLATION);
    assertThat(rejectionOf(past).rule()).isEqualTo(RuleViolation.IN_PAST);
    assertThat(past.hasNoEvents()).isTrue();

    CommandResultWithReply<Command, Event, State, BookingReply> byHost = hold(HOST, SLOT_A, null);
    assertThat(rejectionOf(byHost).code()).isEqualTo(Rejection.Code.FORBIDDEN);

    // A booking id that routes to another kitchen.
    String foreignId = KitchenIds.newBookingId(KitchenIds.newKitchenId());
    CommandResultWithReply<Command, Event, State, BookingReply> foreign =
        kit.runCommand(r -> new HoldSlot(RENTER, foreignId, SLOT_A, null, r));
    assertThat(rejectionOf(foreign).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(foreign.hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------- overlaps and buffers

  @Test
  void overlappingHoldIsUnavailableButATouchingOneIsFine() {
    createKitchen(SETTINGS);
    publish();
    heldBooking(RENTER, SLOT_A);

    // 11:00-13:00 EDT overlaps A's last hour.
    CommandResultWithReply<Command, Event, State, BookingReply> overlapping =
        hold(OTHER_RENTER, slot("2026-06-03T15:00:00Z", "2026-06-03T17:00:00Z"), null);
    assertThat(rejectionOf(overlapping).code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    assertThat(overlapping.hasNoEvents()).isTrue();
    // Wholly inside A.
    assertThat(rejectionOf(hold(OTHER_RENTER, slot("2026-06-03T14:30:00Z", "2026-06-03T15:30:00Z"), null)).code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);

    // Right after A and right before it: half-open intervals do not overlap.
    assertThat(heldBooking(OTHER_RENTER, slot("2026-06-03T16:00:00Z", "2026-06-03T17:00:00Z")).status())
        .isEqualTo(BookingStatus.HELD);
    assertThat(heldBooking(OTHER_RENTER, slot("2026-06-03T13:00:00Z", "2026-06-03T14:00:00Z")).status())
        .isEqualTo(BookingStatus.HELD);
  }

  @Test
  void cleaningBufferMakesAdjacentSlotsUnavailable() {
    createKitchen(withRules(WITH_30_MIN_BUFFER));
    publish();
    heldBooking(RENTER, SLOT_A); // 14:00Z-16:00Z, with buffer 13:30Z-16:30Z

    CommandResultWithReply<Command, Event, State, BookingReply> after =
        hold(OTHER_RENTER, slot("2026-06-03T16:00:00Z", "2026-06-03T17:00:00Z"), null);
    assertThat(rejectionOf(after).code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    assertThat(after.hasNoEvents()).isTrue();
    assertThat(rejectionOf(hold(OTHER_RENTER, slot("2026-06-03T13:00:00Z", "2026-06-03T14:00:00Z"), null)).code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);

    // Exactly one buffer's length away on either side is fine.
    assertThat(heldBooking(OTHER_RENTER, slot("2026-06-03T16:30:00Z", "2026-06-03T17:30:00Z")).status())
        .isEqualTo(BookingStatus.HELD);
    assertThat(heldBooking(THIRD_RENTER, slot("2026-06-03T12:30:00Z", "2026-06-03T13:30:00Z")).status())
        .isEqualTo(BookingStatus.HELD);
  }

  // ---------------------------------------------------------------- idempotency

  @Test
  void sameKeySameSlotReplaysAndSameKeyOtherSlotIsRejected() {
    createKitchen(SETTINGS);
    publish();
    Booking first = hold(RENTER, SLOT_A, "key-1").replyOfType(BookingAccepted.class).booking();

    // A retry carries a fresh booking id (the HTTP layer mints one per request) but the same key.
    CommandResultWithReply<Command, Event, State, BookingReply> retry = hold(RENTER, SLOT_A, "key-1");
    BookingAccepted replayed = retry.replyOfType(BookingAccepted.class);
    assertThat(replayed.replayed()).isTrue();
    assertThat(replayed.booking()).isEqualTo(first);
    assertThat(retry.hasNoEvents()).isTrue();

    CommandResultWithReply<Command, Event, State, BookingReply> reused = hold(RENTER, SLOT_B, "key-1");
    assertThat(rejectionOf(reused).code()).isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    assertThat(reused.hasNoEvents()).isTrue();

    // Keys belong to a renter: another renter with the same key gets no replay of someone else's hold.
    assertThat(rejectionOf(hold(OTHER_RENTER, SLOT_A, "key-1")).code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    assertThat(kit.getState()).isInstanceOfSatisfying(Listed.class, s -> assertThat(s.bookings()).hasSize(1));
  }

  @Test
  void keyIsForgottenAfterTheWindowOnceAnotherEventPrunesIt() {
    createKitchen(SETTINGS);
    publish();
    confirm(ADMIN, heldBooking(RENTER, SLOT_A, "key-1").bookingId());
    clock.advance(Duration.ofHours(25));
    // Any event prunes idempotency keys older than 24 h.
    heldBooking(OTHER_RENTER, slot("2026-06-05T14:00:00Z", "2026-06-05T15:00:00Z"));
    CommandResultWithReply<Command, Event, State, BookingReply> reuse = hold(RENTER, SLOT_B, "key-1");
    assertThat(reuse.replyOfType(BookingAccepted.class).booking().slot()).isEqualTo(SLOT_B);
  }

  /**
   * The key window (24 h) must not depend on whether some unrelated event happened to be persisted
   * in between: 25 h after its use a key is outside the window and a new request with it is new.
   */
  @Test
  void keyIsForgottenAfterTheWindowEvenWithoutInterveningEvents() {
    createKitchen(SETTINGS);
    publish();
    confirm(ADMIN, heldBooking(RENTER, SLOT_A, "key-1").bookingId());
    clock.advance(Duration.ofHours(25));
    CommandResultWithReply<Command, Event, State, BookingReply> reuse = hold(RENTER, SLOT_B, "key-1");
    assertThat(reuse.reply()).isInstanceOf(BookingAccepted.class);
    assertThat(((BookingAccepted) reuse.reply()).booking().slot()).isEqualTo(SLOT_B);
  }

  // ---------------------------------------------------------------- batches

  @Test
  void batchDecidesInOrderAndPersistsOnce() {
    createKitchen(SETTINGS);
    publish();
    List<Integer> writesOfThisKitchen = new CopyOnWriteArrayList<>();
    kit.persistenceTestKit().withPolicy((persistenceId, operation) -> {
      if (persistenceId.endsWith(kitchenId) && operation instanceof WriteEvents write)
        writesOfThisKitchen.add(write.getBatch().size());
      return ProcessingSuccess.getInstance();
    });
    try {
      TestProbe<BookingReply> p1 = testKit.createTestProbe(BookingReply.class);
      TestProbe<BookingReply> p2 = testKit.createTestProbe(BookingReply.class);
      TestProbe<BookingReply> p3 = testKit.createTestProbe(BookingReply.class);
      String b1 = KitchenIds.newBookingId(kitchenId);
      String b2 = KitchenIds.newBookingId(kitchenId);
      String b3 = KitchenIds.newBookingId(kitchenId);
      HoldSlot h1 = new HoldSlot(RENTER, b1, SLOT_A, null, p1.ref());
      // Overlaps h1 by one hour.
      HoldSlot h2 = new HoldSlot(OTHER_RENTER, b2, slot("2026-06-03T15:00:00Z", "2026-06-03T17:00:00Z"), null, p2.ref());
      HoldSlot h3 = new HoldSlot(THIRD_RENTER, b3, SLOT_B, null, p3.ref());

      CommandResultWithReply<Command, Event, State, HoldBatchDone> result =
          kit.runCommand(done -> new HoldSlots(List.of(h1, h2, h3), done));

      assertThat(result.reply()).isEqualTo(new HoldBatchDone(2, 1));
      assertThat(result.events()).hasSize(2).allMatch(e -> e instanceof SlotHeld);
      assertThat(result.events()).extracting(e -> ((SlotHeld) e).bookingId()).containsExactly(b1, b3);
      assertThat(writesOfThisKitchen).as("one journal write carrying both events").containsExactly(2);

      BookingAccepted r1 = p1.expectMessageClass(BookingAccepted.class);
      assertThat(r1.booking().bookingId()).isEqualTo(b1);
      assertThat(r1.booking().price()).isEqualTo(TWO_HOURS);
      assertThat(p2.expectMessageClass(BookingRejected.class).rejection().code())
          .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
      assertThat(p3.expectMessageClass(BookingAccepted.class).booking().bookingId()).isEqualTo(b3);
      assertThat(result.stateOfType(Listed.class).bookings().keySet()).containsExactlyInAnyOrder(b1, b3);
    } finally {
      kit.persistenceTestKit().resetPolicy();
    }
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void holdExpiresWhenItsTimeRunsOut() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();

    // A minute early: the entity re-arms its real timer a minute ahead, far beyond this test's
    // next step, so only the explicit ticks below can expire the hold.
    clock.advance(Duration.ofMinutes(9));
    CommandResult<Command, Event, State> early = kit.runCommand(new SettleDue());
    assertThat(early.hasNoEvents()).isTrue();
    assertThat(early.stateOfType(Listed.class).bookings().get(bookingId).status()).isEqualTo(BookingStatus.HELD);

    clock.advance(Duration.ofMinutes(1)); // exactly T0 + 10 min
    Instant expiry = Instant.parse("2026-06-01T12:10:00Z");
    CommandResult<Command, Event, State> due = kit.runCommand(new SettleDue());
    assertThat(due.events()).containsExactly(new HoldExpired(kitchenId, bookingId, expiry));
    Booking expired = due.stateOfType(Listed.class).bookings().get(bookingId);
    assertThat(expired.status()).isEqualTo(BookingStatus.EXPIRED);
    assertThat(expired.expiredAt()).isEqualTo(expiry);
    assertThat(getBooking(RENTER, bookingId).status()).isEqualTo(BookingStatus.EXPIRED);

    // The slot is free again.
    assertThat(heldBooking(OTHER_RENTER, SLOT_A).status()).isEqualTo(BookingStatus.HELD);
  }

  @Test
  void confirmAfterExpiryIsInvalidAndRecordsTheExpiry() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    clock.advance(Duration.ofMinutes(11));

    CommandResultWithReply<Command, Event, State, BookingReply> late =
        kit.runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r));
    assertThat(rejectionOf(late).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(late.events()).containsExactly(new HoldExpired(kitchenId, bookingId, Instant.parse("2026-06-01T12:11:00Z")));
    assertThat(late.stateOfType(Listed.class).bookings().get(bookingId).status()).isEqualTo(BookingStatus.EXPIRED);

    CommandResultWithReply<Command, Event, State, BookingReply> again =
        kit.runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r));
    assertThat(rejectionOf(again).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(again.hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------- completion

  @Test
  void confirmedBookingIsCompletedByTheTickAfterItsEnd() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, bookingId);

    clock.advance(Duration.between(T0, SLOT_A.end()).plusMinutes(1));
    Instant completedAt = Instant.parse("2026-06-03T16:01:00Z");
    CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
    assertThat(tick.events()).containsExactly(new BookingCompleted(kitchenId, bookingId, completedAt));
    Booking completed = tick.stateOfType(Listed.class).bookings().get(bookingId);
    assertThat(completed.status()).isEqualTo(BookingStatus.COMPLETED);
    assertThat(completed.completedAt()).isEqualTo(completedAt);
    assertThat(completed.confirmedAt()).isEqualTo(T0);
    assertThat(completed.price()).isEqualTo(TWO_HOURS);
    assertThat(getBooking(RENTER, bookingId)).isEqualTo(completed);

    // The next tick finds nothing left to do.
    assertThat(kit.runCommand(new SettleDue()).hasNoEvents()).isTrue();
  }

  @Test
  void confirmedBookingIsNotCompletedBeforeItsEnd() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, bookingId);

    clock.advance(Duration.between(T0, SLOT_A.end()).minusMinutes(1));
    CommandResult<Command, Event, State> early = kit.runCommand(new SettleDue());
    assertThat(early.hasNoEvents()).isTrue();
    Booking stillConfirmed = early.stateOfType(Listed.class).bookings().get(bookingId);
    assertThat(stillConfirmed.status()).isEqualTo(BookingStatus.CONFIRMED);
    assertThat(stillConfirmed.completedAt()).isNull();

    // Slots are half-open: at its end instant the booking is over.
    clock.advance(Duration.ofMinutes(1));
    assertThat(kit.runCommand(new SettleDue()).events())
        .containsExactly(new BookingCompleted(kitchenId, bookingId, SLOT_A.end()));
  }

  @Test
  void heldAndCancelledBookingsAreNeverCompleted() {
    createKitchen(SETTINGS);
    publish();
    String heldId = heldBooking(RENTER, SLOT_A).bookingId();
    String cancelledId = heldBooking(OTHER_RENTER, SLOT_B).bookingId();
    confirm(ADMIN, cancelledId);
    kit.<BookingReply>runCommand(r -> new CancelBooking(HOST, cancelledId, "oven broke", r))
        .replyOfType(BookingAccepted.class);

    // Past both ends: the hold, long run out, expires; the cancelled booking stays as it is.
    clock.advance(Duration.ofDays(3));
    Instant now = Instant.parse("2026-06-04T12:00:00Z");
    CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
    assertThat(tick.events()).containsExactly(new HoldExpired(kitchenId, heldId, now));
    Listed state = tick.stateOfType(Listed.class);
    assertThat(state.bookings().get(heldId).status()).isEqualTo(BookingStatus.EXPIRED);
    assertThat(state.bookings().get(heldId).completedAt()).isNull();
    assertThat(state.bookings().get(cancelledId).status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(state.bookings().get(cancelledId).completedAt()).isNull();
  }

  @Test
  void dueHoldsAndDueCompletionsArePersistedTogether() {
    createKitchen(SETTINGS);
    publish();
    // Today 09:00-11:00 EDT, over at 15:00Z.
    String endingId = heldBooking(RENTER, slot("2026-06-01T13:00:00Z", "2026-06-01T15:00:00Z")).bookingId();
    confirm(ADMIN, endingId);
    clock.advance(Duration.ofHours(2).plusMinutes(55));
    String heldId = heldBooking(OTHER_RENTER, SLOT_A).bookingId(); // its hold runs out at 15:05Z
    clock.advance(Duration.ofMinutes(10));
    Instant now = Instant.parse("2026-06-01T15:05:00Z");

    List<Integer> writesOfThisKitchen = new CopyOnWriteArrayList<>();
    kit.persistenceTestKit().withPolicy((persistenceId, operation) -> {
      if (persistenceId.endsWith(kitchenId) && operation instanceof WriteEvents write)
        writesOfThisKitchen.add(write.getBatch().size());
      return ProcessingSuccess.getInstance();
    });
    try {
      CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
      assertThat(tick.events()).containsExactly(
          new HoldExpired(kitchenId, heldId, now), new BookingCompleted(kitchenId, endingId, now));
      assertThat(writesOfThisKitchen).as("one journal write carrying both events").containsExactly(2);
      Listed state = tick.stateOfType(Listed.class);
      assertThat(state.bookings().get(heldId).status()).isEqualTo(BookingStatus.EXPIRED);
      assertThat(state.bookings().get(endingId).status()).isEqualTo(BookingStatus.COMPLETED);
    } finally {
      kit.persistenceTestKit().resetPolicy();
    }
  }

  @Test
  void completedBookingCannotBeCancelledOrConfirmed() {
    createKitchen(SETTINGS);
    publish();
    Booking completed = completedBooking();
    String bookingId = completed.bookingId();

    CommandResultWithReply<Command, Event, State, BookingReply> cancel =
        kit.runCommand(r -> new CancelBooking(HOST, bookingId, "too late", r));
    assertThat(rejectionOf(cancel).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(rejectionOf(cancel).detail()).isEqualTo("a COMPLETED booking cannot be cancelled");
    assertThat(cancel.hasNoEvents()).isTrue();

    CommandResultWithReply<Command, Event, State, BookingReply> confirm =
        kit.runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r));
    assertThat(rejectionOf(confirm).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(rejectionOf(confirm).detail()).isEqualTo("a COMPLETED booking cannot be confirmed");
    assertThat(confirm.hasNoEvents()).isTrue();

    assertThat(getBooking(RENTER, bookingId)).isEqualTo(completed);
  }

  /** The scheduler takes delays of at most about 248 days; a booking ending later must still arm the timer. */
  @Test
  void bookingEndingBeyondTheSchedulersReachCanBeConfirmedAndCompleted() {
    createKitchen(withRules(new BookingRules(30, 60, 720, 60, 730, 0)));
    publish();
    // Thursday 2027-04-01 10:00-12:00 EDT, 304 days ahead.
    Interval farAhead = slot("2027-04-01T14:00:00Z", "2027-04-01T16:00:00Z");
    String bookingId = heldBooking(RENTER, farAhead).bookingId();
    confirm(ADMIN, bookingId);

    clock.advance(Duration.between(T0, farAhead.end()));
    assertThat(kit.runCommand(new SettleDue()).events())
        .containsExactly(new BookingCompleted(kitchenId, bookingId, farAhead.end()));
  }

  // ---------------------------------------------------------------- confirm and cancel

  @Test
  void onlyAdminsConfirm() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();

    CommandResultWithReply<Command, Event, State, BookingReply> byRenter =
        kit.runCommand(r -> new ConfirmBooking(RENTER, bookingId, r));
    assertThat(rejectionOf(byRenter).code()).isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(byRenter.hasNoEvents()).isTrue();
    assertThat(rejectionOf(kit.runCommand(r -> new ConfirmBooking(HOST, bookingId, r))).code())
        .isEqualTo(Rejection.Code.FORBIDDEN);

    clock.advance(Duration.ofMinutes(2));
    Instant confirmedAt = Instant.parse("2026-06-01T12:02:00Z");
    CommandResultWithReply<Command, Event, State, BookingReply> byAdmin =
        kit.runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r));
    Booking confirmed = byAdmin.replyOfType(BookingAccepted.class).booking();
    assertThat(confirmed.status()).isEqualTo(BookingStatus.CONFIRMED);
    assertThat(confirmed.confirmedAt()).isEqualTo(confirmedAt);
    assertThat(confirmed.price()).isEqualTo(TWO_HOURS);
    assertThat(byAdmin.events()).containsExactly(new BookingConfirmed(kitchenId, bookingId, "admin-1", Role.ADMIN, confirmedAt));

    // A confirmed booking does not expire when its hold time passes.
    clock.advance(Duration.ofMinutes(30));
    assertThat(kit.runCommand(new SettleDue()).hasNoEvents()).isTrue();
    assertThat(getBooking(RENTER, bookingId).status()).isEqualTo(BookingStatus.CONFIRMED);
  }

  /**
   * The platform itself ({@link Actor#SYSTEM}, e.g. the payments actor once a charge succeeds) is
   * one of the actors {@code KitchenEntity.confirm} lets confirm a booking.
   */
  @Test
  void systemActorConfirmsAHeldBooking() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    CommandResultWithReply<Command, Event, State, BookingReply> bySystem =
        kit.runCommand(r -> new ConfirmBooking(Actor.SYSTEM, bookingId, r));
    assertThat(bySystem.reply()).isInstanceOf(BookingAccepted.class);
    assertThat(((BookingAccepted) bySystem.reply()).booking().status()).isEqualTo(BookingStatus.CONFIRMED);
  }

  @Test
  void renterCancellingThreeDaysAheadGetsTotalMinusFivePercent() {
    createKitchen(SETTINGS);
    publish();
    // Thursday 2026-06-04 08:00-10:00 EDT: 72 h after T0.
    Interval threeDaysAhead = slot("2026-06-04T12:00:00Z", "2026-06-04T14:00:00Z");
    String bookingId = heldBooking(RENTER, threeDaysAhead).bookingId();
    confirm(ADMIN, bookingId);
    clock.advance(Duration.ofMinutes(5)); // 71 h 55 min of notice: still 48 h or more

    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new CancelBooking(RENTER, bookingId, "plans changed", r));
    // total 5413; 5 % = 270.65 -> 271; refund 5413 - 271 = 5142.
    Booking cancelled = result.replyOfType(BookingAccepted.class).booking();
    assertThat(cancelled.status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(cancelled.refundCents()).isEqualTo(5142);
    assertThat(cancelled.cancelledBy()).isEqualTo(Role.RENTER);
    assertThat(cancelled.cancelReason()).isEqualTo("plans changed");
    assertThat(result.events()).containsExactly(new BookingCancelled(kitchenId, bookingId, "renter-1", Role.RENTER,
        "plans changed", 5142, Instant.parse("2026-06-01T12:05:00Z")));

    // The slot is free again, and cancelling twice changes nothing.
    assertThat(heldBooking(OTHER_RENTER, threeDaysAhead).status()).isEqualTo(BookingStatus.HELD);
    CommandResultWithReply<Command, Event, State, BookingReply> twice =
        kit.runCommand(r -> new CancelBooking(RENTER, bookingId, "again", r));
    assertThat(twice.replyOfType(BookingAccepted.class).booking().refundCents()).isEqualTo(5142);
    assertThat(twice.hasNoEvents()).isTrue();
  }

  @Test
  void renterCancellingWithinTwoDaysGetsHalfAndHostRefundsInFull() {
    createKitchen(SETTINGS);
    publish();
    // Tuesday 2026-06-02 14:00-16:00 EDT = 30 h after T0.
    String renterCancels = heldBooking(RENTER, slot("2026-06-02T18:00:00Z", "2026-06-02T20:00:00Z")).bookingId();
    String hostCancels = heldBooking(OTHER_RENTER, SLOT_A).bookingId();
    confirm(ADMIN, renterCancels);
    confirm(ADMIN, hostCancels);

    // 50 % of 5413 = 2706.5 -> 2707.
    assertThat(kit.<BookingReply>runCommand(r -> new CancelBooking(RENTER, renterCancels, null, r))
        .replyOfType(BookingAccepted.class).booking().refundCents()).isEqualTo(2707);
    Booking byHost = kit.<BookingReply>runCommand(r -> new CancelBooking(HOST, hostCancels, "oven broke", r))
        .replyOfType(BookingAccepted.class).booking();
    assertThat(byHost.refundCents()).isEqualTo(5413);
    assertThat(byHost.cancelledBy()).isEqualTo(Role.HOST);
  }

  @Test
  void cancellingAHeldBookingRefundsNothing() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new CancelBooking(RENTER, bookingId, null, r));
    Booking cancelled = result.replyOfType(BookingAccepted.class).booking();
    assertThat(cancelled.status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(cancelled.refundCents()).isZero();
    assertThat(result.eventOfType(BookingCancelled.class).refundCents()).isZero();
  }

  // ---------------------------------------------------------------- visibility

  @Test
  void strangersDoNotSeeOthersBookings() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();

    assertThat(rejectionOf(kit.runCommand(r -> new GetBooking(OTHER_RENTER, bookingId, r))).code())
        .isEqualTo(Rejection.Code.NOT_FOUND);
    CommandResultWithReply<Command, Event, State, BookingReply> strangerCancel =
        kit.runCommand(r -> new CancelBooking(OTHER_RENTER, bookingId, null, r));
    assertThat(rejectionOf(strangerCancel).code()).isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(strangerCancel.hasNoEvents()).isTrue();

    assertThat(getBooking(RENTER, bookingId).bookingId()).isEqualTo(bookingId);
    assertThat(getBooking(HOST, bookingId).bookingId()).isEqualTo(bookingId);
    assertThat(getBooking(ADMIN, bookingId).bookingId()).isEqualTo(bookingId);
    String unknown = KitchenIds.newBookingId(kitchenId);
    assertThat(rejectionOf(kit.runCommand(r -> new GetBooking(RENTER, unknown, r))).code())
        .isEqualTo(Rejection.Code.NOT_FOUND);
  }

  // ---------------------------------------------------------------- recovery and retention

  @Test
  void restartRecoversTheSameState() {
    createKitchen(SETTINGS);
    publish();
    String confirmedId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, confirmedId);
    String heldId = heldBooking(OTHER_RENTER, SLOT_B, "key-2").bookingId();
    State before = kit.getState();

    EventSourcedBehaviorTestKit.RestartResult<State> restarted = kit.restart();

    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state()).isInstanceOfSatisfying(Listed.class, s -> {
      assertThat(s.status()).isEqualTo(KitchenStatus.PUBLISHED);
      assertThat(s.bookings().keySet()).containsExactlyInAnyOrder(confirmedId, heldId);
    });
    assertThat(getBooking(RENTER, confirmedId).status()).isEqualTo(BookingStatus.CONFIRMED);
    assertThat(getBooking(OTHER_RENTER, heldId).status()).isEqualTo(BookingStatus.HELD);
    // Overlaps and idempotency keys are still enforced after recovery.
    assertThat(rejectionOf(hold(THIRD_RENTER, SLOT_A, null)).code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    BookingAccepted replay = hold(OTHER_RENTER, SLOT_B, "key-2").replyOfType(BookingAccepted.class);
    assertThat(replay.replayed()).isTrue();
    assertThat(replay.booking().bookingId()).isEqualTo(heldId);
  }

  @Test
  void restartKeepsACompletedBooking() {
    createKitchen(SETTINGS);
    publish();
    Booking completed = completedBooking();
    State before = kit.getState();

    EventSourcedBehaviorTestKit.RestartResult<State> restarted = kit.restart();

    assertThat(restarted.state()).isEqualTo(before);
    Booking recovered = getBooking(RENTER, completed.bookingId());
    assertThat(recovered.status()).isEqualTo(BookingStatus.COMPLETED);
    assertThat(recovered.completedAt()).isEqualTo(SLOT_A.end());
    assertThat(recovered).isEqualTo(completed);
  }

  /**
   * A kitchen with only confirmed bookings may passivate; the sweeper that wakes it after an end
   * relies on recovery arming the timer, which then fires at once and completes the booking.
   */
  @Test
  void recoveryAfterAnEndCompletesTheBooking() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, bookingId);
    clock.advance(Duration.between(T0, SLOT_A.end()).plusHours(1));

    kit.restart();

    Instant wokenAt = Instant.parse("2026-06-03T17:00:00Z");
    testKit.createTestProbe().awaitAssert(
        () -> assertThat(((Listed) kit.getState()).bookings().get(bookingId).completedAt()).isEqualTo(wokenAt));
    assertThat(getBooking(RENTER, bookingId).status()).isEqualTo(BookingStatus.COMPLETED);
  }

  @Test
  void settledBookingsArePrunedAfterRetention() {
    createKitchen(SETTINGS);
    publish();
    // Cancelled at T0.
    String cancelledId = heldBooking(RENTER, SLOT_A).bookingId();
    kit.<BookingReply>runCommand(r -> new CancelBooking(RENTER, cancelledId, null, r)).replyOfType(BookingAccepted.class);
    // Confirmed, over at T0 + 4 h (10:00-12:00 EDT today), and completed by the tick at its end.
    String endedId = heldBooking(THIRD_RENTER, slot("2026-06-01T14:00:00Z", "2026-06-01T16:00:00Z")).bookingId();
    confirm(ADMIN, endedId);
    clock.advance(Duration.ofHours(4));
    assertThat(kit.runCommand(new SettleDue()).events())
        .containsExactly(new BookingCompleted(kitchenId, endedId, Instant.parse("2026-06-01T16:00:00Z")));

    // 29 days on, an event is applied; both are within the 30-day retention.
    clock.advance(Duration.ofDays(29).minusHours(4));
    String laterId = heldBooking(OTHER_RENTER, slot("2026-07-02T14:00:00Z", "2026-07-02T16:00:00Z")).bookingId();
    assertThat(getBooking(RENTER, cancelledId).status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(getBooking(THIRD_RENTER, endedId).status()).isEqualTo(BookingStatus.COMPLETED);

    // 31 days on: the next event (this hold, which first expires the due hold `laterId`) prunes them.
    clock.advance(Duration.ofDays(2));
    String lastId = KitchenIds.newBookingId(kitchenId);
    CommandResultWithReply<Command, Event, State, BookingReply> trigger = kit.runCommand(
        r -> new HoldSlot(OTHER_RENTER, lastId, slot("2026-07-04T14:00:00Z", "2026-07-04T16:00:00Z"), null, r));
    assertThat(trigger.replyOfType(BookingAccepted.class).booking().status()).isEqualTo(BookingStatus.HELD);
    assertThat(trigger.events()).hasSize(2);
    assertThat(trigger.events().get(0)).isEqualTo(new HoldExpired(kitchenId, laterId, Instant.parse("2026-07-02T12:00:00Z")));
    assertThat(trigger.events().get(1)).isInstanceOf(SlotHeld.class);

    assertThat(rejectionOf(kit.runCommand(r -> new GetBooking(RENTER, cancelledId, r))).code())
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(rejectionOf(kit.runCommand(r -> new GetBooking(THIRD_RENTER, endedId, r))).code())
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(getBooking(OTHER_RENTER, laterId).status()).isEqualTo(BookingStatus.EXPIRED);
    assertThat(trigger.stateOfType(Listed.class).bookings().keySet()).containsExactlyInAnyOrder(laterId, lastId);
  }

  // ---------------------------------------------------------------- updates and availability

  @Test
  void patchWithInvalidRulesNamesTheField() {
    createKitchen(SETTINGS);
    KitchenPatch badSlot = new KitchenPatch(null, null, null, null, null, null, null,
        new KitchenPatch.RulesPatch(7, null, null, null, null, null), null, null); // 1440 % 7 != 0
    CommandResultWithReply<Command, Event, State, KitchenReply> result =
        kit.runCommand(r -> new UpdateKitchen(HOST, badSlot, r));
    Rejection rejection = result.replyOfType(KitchenRejected.class).rejection();
    assertThat(rejection.code()).isEqualTo(Rejection.Code.VALIDATION_FAILED);
    assertThat(rejection.fieldErrors()).extracting(FieldError::field).containsExactly("rules.slot_minutes");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.stateOfType(Listed.class).settings()).isEqualTo(SETTINGS);

    // Several bad fields are all named.
    KitchenPatch several = new KitchenPatch(null, null, null, null, null, null, 10_001,
        new KitchenPatch.RulesPatch(7, 0, null, null, null, null), null, null);
    assertThat(kit.<KitchenReply>runCommand(r -> new UpdateKitchen(HOST, several, r))
        .replyOfType(KitchenRejected.class).rejection().fieldErrors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("tax_bps", "rules.slot_minutes", "rules.min_duration_minutes");
  }

  @Test
  void currencyIsFixedOnceTheKitchenHasBeenPublished() {
    createKitchen(SETTINGS);
    KitchenPatch euros = new KitchenPatch(null, null, null, null, "EUR", null, null, null, null, null);
    assertThat(kit.<KitchenReply>runCommand(r -> new UpdateKitchen(HOST, euros, r))
        .replyOfType(KitchenAccepted.class).kitchen().settings().currency()).as("a draft may change it").isEqualTo("EUR");
    publish();
    KitchenPatch dollars = new KitchenPatch(null, null, null, null, "USD", null, null, null, null, null);
    CommandResultWithReply<Command, Event, State, KitchenReply> refused = kit.runCommand(r -> new UpdateKitchen(HOST, dollars, r));
    assertThat(refused.replyOfType(KitchenRejected.class).rejection().fieldErrors())
        .containsExactly(new FieldError("currency", "cannot change once the kitchen has been published"));
    assertThat(refused.hasNoEvents()).isTrue();
  }

  @Test
  void validPatchChangesThePriceOfLaterHolds() {
    createKitchen(SETTINGS);
    publish();
    KitchenPatch rate = new KitchenPatch(null, null, null, null, null, 3000L, null, null, null, null);
    CommandResultWithReply<Command, Event, State, KitchenReply> result = kit.runCommand(r -> new UpdateKitchen(HOST, rate, r));
    assertThat(result.replyOfType(KitchenAccepted.class).kitchen().settings().hourlyRateCents()).isEqualTo(3000);
    assertThat(result.eventOfType(KitchenUpdated.class).settings().hourlyRateCents()).isEqualTo(3000);
    // 3000 * 120 / 60 = 6000; fee 900; tax 6000 * 0.0825 = 495; total 6495; payout 5100.
    assertThat(heldBooking(RENTER, SLOT_A).price()).isEqualTo(new PriceBreakdown(6000, 900, 495, 6495, 5100, "USD"));
    // Renters cannot change the listing.
    assertThat(kit.<KitchenReply>runCommand(r -> new UpdateKitchen(RENTER, rate, r))
        .replyOfType(KitchenRejected.class).rejection().code()).isEqualTo(Rejection.Code.FORBIDDEN);
  }

  @Test
  void availabilityIsOpenTimeMinusBookingsAndTheirBuffers() {
    createKitchen(withRules(WITH_30_MIN_BUFFER));
    publish();
    // Monday 10:00-12:00 EDT today; with the buffer it takes 13:30Z-16:30Z.
    heldBooking(RENTER, slot("2026-06-01T14:00:00Z", "2026-06-01T16:00:00Z"));
    Interval range = slot("2026-06-01T12:00:00Z", "2026-06-01T20:00:00Z");

    // The earliest start is now + 1 h notice = 13:00Z (09:00 EDT, aligned).
    CommandResultWithReply<Command, Event, State, AvailabilityReply> result =
        kit.runCommand(r -> new GetAvailability(OTHER_RENTER, range, r));
    assertThat(result.reply()).isEqualTo(new Availability(kitchenId, range, List.of(
        slot("2026-06-01T13:00:00Z", "2026-06-01T13:30:00Z"),
        slot("2026-06-01T16:30:00Z", "2026-06-01T20:00:00Z"))));
    assertThat(result.hasNoEvents()).isTrue();

    // Once the hold has run out it no longer blocks anything, even before its expiry is recorded;
    // the earliest start is now 12:10Z + 1 h = 13:10Z, rounded up to 13:30Z (09:30 EDT).
    clock.advance(Duration.ofMinutes(10));
    assertThat(kit.<AvailabilityReply>runCommand(r -> new GetAvailability(OTHER_RENTER, range, r)).reply())
        .isEqualTo(new Availability(kitchenId, range, List.of(slot("2026-06-01T13:30:00Z", "2026-06-01T20:00:00Z"))));
  }

  // ---------------------------------------------------------------- helpers

  private static Interval slot(String start, String end) {
    return new Interval(Instant.parse(start), Instant.parse(end));
  }

  private static KitchenSettings withRules(BookingRules rules) {
    return new KitchenSettings(SETTINGS.name(), SETTINGS.address(), SETTINGS.city(), SETTINGS.timeZone(), SETTINGS.currency(),
        SETTINGS.hourlyRateCents(), SETTINGS.taxBps(), rules, SETTINGS.openingHours(), SETTINGS.blackouts());
  }

  private void createKitchen(KitchenSettings settings) {
    kit.<KitchenReply>runCommand(r -> new CreateKitchen(HOST, settings, "fp-create", r)).replyOfType(KitchenAccepted.class);
  }

  private void publish() {
    CommandResultWithReply<Command, Event, State, KitchenReply> result = kit.runCommand(r -> new PublishKitchen(HOST, r));
    assertThat(result.replyOfType(KitchenAccepted.class).kitchen().status()).isEqualTo(KitchenStatus.PUBLISHED);
  }

  private CommandResultWithReply<Command, Event, State, BookingReply> hold(Actor renter, Interval slot, String key) {
    String bookingId = KitchenIds.newBookingId(kitchenId);
    return kit.runCommand(r -> new HoldSlot(renter, bookingId, slot, key, r));
  }

  private Booking heldBooking(Actor renter, Interval slot) {
    return heldBooking(renter, slot, null);
  }

  private Booking heldBooking(Actor renter, Interval slot, String key) {
    CommandResultWithReply<Command, Event, State, BookingReply> result = hold(renter, slot, key);
    assertThat(result.reply()).as("hold of %s", slot).isInstanceOf(BookingAccepted.class);
    return ((BookingAccepted) result.reply()).booking();
  }

  private void confirm(Actor actor, String bookingId) {
    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new ConfirmBooking(actor, bookingId, r));
    assertThat(result.replyOfType(BookingAccepted.class).booking().status()).isEqualTo(BookingStatus.CONFIRMED);
  }

  /** Holds and confirms {@code SLOT_A}, moves the clock to its end and lets a tick complete it. */
  private Booking completedBooking() {
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, bookingId);
    clock.advance(Duration.between(clock.instant(), SLOT_A.end()));
    CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
    assertThat(tick.events()).containsExactly(new BookingCompleted(kitchenId, bookingId, SLOT_A.end()));
    return tick.stateOfType(Listed.class).bookings().get(bookingId);
  }

  private Booking getBooking(Actor actor, String bookingId) {
    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new GetBooking(actor, bookingId, r));
    assertThat(result.reply()).isInstanceOf(BookingAccepted.class);
    return ((BookingAccepted) result.reply()).booking();
  }

  private static Rejection rejectionOf(CommandResultWithReply<Command, Event, State, BookingReply> result) {
    assertThat(result.reply()).isInstanceOf(BookingRejected.class);
    return ((BookingRejected) result.reply()).rejection();
  }
}
