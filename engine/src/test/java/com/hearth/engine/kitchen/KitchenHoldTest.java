package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Rejection;
import com.hearth.engine.RuleViolation;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingRejected;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.HoldAnswer;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;

/**
 * Holding a slot: the price, the rules, overlaps and buffers, idempotency keys and batches. The
 * kitchen, clock and prices are {@link KitchenEntityFixture}'s.
 */
class KitchenHoldTest extends KitchenEntityFixture {

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
    assertThat(booking.holdExpiresAt())
        .isEqualTo(Instant.parse("2026-06-01T12:10:00Z")); // T0 + 10 min hold

    SlotHeld event = result.eventOfType(SlotHeld.class);
    assertThat(result.events()).hasSize(1);
    assertThat(event.bookingId()).isEqualTo(bookingId);
    assertThat(event.price()).isEqualTo(TWO_HOURS);
    assertThat(event.holdExpiresAt()).isEqualTo(Instant.parse("2026-06-01T12:10:00Z"));
    assertThat(event.at()).isEqualTo(T0);
  }

  @Test
  void holdStartingInThePastBreaksARule() {
    createKitchen(SETTINGS);
    publish();
    // Starts 30 minutes ago.
    CommandResultWithReply<Command, Event, State, BookingReply> past =
        hold(RENTER, slot("2026-06-01T11:30:00Z", "2026-06-01T12:30:00Z"), null);
    assertThat(rejectionOf(past).code()).isEqualTo(Rejection.Code.RULE_VIOLATION);
    assertThat(rejectionOf(past).rule()).isEqualTo(RuleViolation.IN_PAST);
    assertThat(past.hasNoEvents()).isTrue();
  }

  @Test
  void holdByAHostIsForbidden() {
    createKitchen(SETTINGS);
    publish();
    CommandResultWithReply<Command, Event, State, BookingReply> byHost = hold(HOST, SLOT_A, null);
    assertThat(rejectionOf(byHost).code()).isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(byHost.hasNoEvents()).isTrue();
  }

  @Test
  void holdUnderABookingIdOfAnotherKitchenIsInvalid() {
    createKitchen(SETTINGS);
    publish();
    // A booking id that routes to another kitchen.
    String foreignId = KitchenIds.newBookingId(KitchenIds.newKitchenId());
    CommandResultWithReply<Command, Event, State, BookingReply> foreign =
        kit.runCommand(r -> new HoldSlot(RENTER, foreignId, SLOT_A, null, r));
    assertThat(rejectionOf(foreign).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(foreign.hasNoEvents()).isTrue();
  }

  @Test
  void overlappingHoldIsUnavailableButATouchingOneIsFine() {
    createKitchen(SETTINGS);
    publish();
    heldBooking(RENTER, SLOT_A);

    // 11:00-13:00 EDT overlaps A's last hour.
    CommandResultWithReply<Command, Event, State, BookingReply> overlapping =
        hold(OTHER_RENTER, slot("2026-06-03T15:00:00Z", "2026-06-03T17:00:00Z"), null);
    assertThat(rejectionOf(overlapping).code()).isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    assertThat(rejectionOf(overlapping).detail()).isEqualTo("the slot overlaps another booking");
    assertThat(overlapping.hasNoEvents()).isTrue();
    // Wholly inside A.
    assertThat(
            rejectionOf(
                    hold(OTHER_RENTER, slot("2026-06-03T14:30:00Z", "2026-06-03T15:30:00Z"), null))
                .code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);

    // Right after A and right before it: half-open intervals do not overlap.
    assertThat(
            heldBooking(OTHER_RENTER, slot("2026-06-03T16:00:00Z", "2026-06-03T17:00:00Z"))
                .status())
        .isEqualTo(BookingStatus.HELD);
    assertThat(
            heldBooking(OTHER_RENTER, slot("2026-06-03T13:00:00Z", "2026-06-03T14:00:00Z"))
                .status())
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
    assertThat(rejectionOf(after).detail())
        .isEqualTo("the slot overlaps another booking or its cleaning buffer");
    assertThat(after.hasNoEvents()).isTrue();
    assertThat(
            rejectionOf(
                    hold(OTHER_RENTER, slot("2026-06-03T13:00:00Z", "2026-06-03T14:00:00Z"), null))
                .code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);

    // Exactly one buffer's length away on either side is fine.
    assertThat(
            heldBooking(OTHER_RENTER, slot("2026-06-03T16:30:00Z", "2026-06-03T17:30:00Z"))
                .status())
        .isEqualTo(BookingStatus.HELD);
    assertThat(
            heldBooking(THIRD_RENTER, slot("2026-06-03T12:30:00Z", "2026-06-03T13:30:00Z"))
                .status())
        .isEqualTo(BookingStatus.HELD);
  }

  @Test
  void sameKeySameSlotReplaysAndSameKeyOtherSlotIsRejected() {
    createKitchen(SETTINGS);
    publish();
    Booking first = hold(RENTER, SLOT_A, "key-1").replyOfType(BookingAccepted.class).booking();

    // A retry carries a fresh booking id (the HTTP layer mints one per request) but the same key.
    CommandResultWithReply<Command, Event, State, BookingReply> retry =
        hold(RENTER, SLOT_A, "key-1");
    BookingAccepted replayed = retry.replyOfType(BookingAccepted.class);
    assertThat(replayed.replayed()).isTrue();
    assertThat(replayed.booking()).isEqualTo(first);
    assertThat(retry.hasNoEvents()).isTrue();

    CommandResultWithReply<Command, Event, State, BookingReply> reused =
        hold(RENTER, SLOT_B, "key-1");
    assertThat(rejectionOf(reused).code()).isEqualTo(Rejection.Code.IDEMPOTENCY_KEY_REUSED);
    assertThat(reused.hasNoEvents()).isTrue();

    // Keys belong to a renter: another renter with the same key gets no replay of someone else's
    // hold.
    assertThat(rejectionOf(hold(OTHER_RENTER, SLOT_A, "key-1")).code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    assertThat(kit.getState())
        .isInstanceOfSatisfying(Listed.class, s -> assertThat(s.bookings()).hasSize(1));
  }

  @Test
  void keyIsForgottenAfterTheWindowOnceAnotherEventPrunesIt() {
    createKitchen(SETTINGS);
    publish();
    confirm(ADMIN, heldBooking(RENTER, SLOT_A, "key-1").bookingId());
    clock.advance(Duration.ofHours(25));
    // Any event prunes idempotency keys older than 24 h.
    heldBooking(OTHER_RENTER, slot("2026-06-05T14:00:00Z", "2026-06-05T15:00:00Z"));
    CommandResultWithReply<Command, Event, State, BookingReply> reuse =
        hold(RENTER, SLOT_B, "key-1");
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
    CommandResultWithReply<Command, Event, State, BookingReply> reuse =
        hold(RENTER, SLOT_B, "key-1");
    assertThat(reuse.reply()).isInstanceOf(BookingAccepted.class);
    assertThat(((BookingAccepted) reuse.reply()).booking().slot()).isEqualTo(SLOT_B);
  }

  @Test
  void batchDecidesInOrderAndPersistsOnce() {
    createKitchen(SETTINGS);
    publish();
    List<Integer> writesOfThisKitchen = new CopyOnWriteArrayList<>();
    kit.persistenceTestKit()
        .withPolicy(
            (persistenceId, operation) -> {
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
      HoldSlot h2 =
          new HoldSlot(
              OTHER_RENTER,
              b2,
              slot("2026-06-03T15:00:00Z", "2026-06-03T17:00:00Z"),
              null,
              p2.ref());
      HoldSlot h3 = new HoldSlot(THIRD_RENTER, b3, SLOT_B, null, p3.ref());

      CommandResultWithReply<Command, Event, State, HoldBatchDone> result =
          kit.runCommand(done -> new HoldSlots(List.of(h1, h2, h3), done));

      assertThat(result.reply()).isEqualTo(new HoldBatchDone(2, 1));
      assertThat(result.events()).hasSize(2).allMatch(e -> e instanceof SlotHeld);
      assertThat(result.events())
          .extracting(e -> ((SlotHeld) e).bookingId())
          .containsExactly(b1, b3);
      assertThat(writesOfThisKitchen)
          .as("one journal write carrying both events")
          .containsExactly(2);

      BookingAccepted r1 = p1.expectMessageClass(BookingAccepted.class);
      assertThat(r1.booking().bookingId()).isEqualTo(b1);
      assertThat(r1.booking().price()).isEqualTo(TWO_HOURS);
      assertThat(p2.expectMessageClass(BookingRejected.class).rejection().code())
          .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
      assertThat(p3.expectMessageClass(BookingAccepted.class).booking().bookingId()).isEqualTo(b3);
      assertThat(result.stateOfType(Listed.class).bookings().keySet())
          .containsExactlyInAnyOrder(b1, b3);
    } finally {
      kit.persistenceTestKit().resetPolicy();
    }
  }

  @Test
  void aBatchAskingForItsAnswersGetsThemInItsDoneMessageInOrderAndTheCallersNothingDirect() {
    createKitchen(SETTINGS);
    publish();
    TestProbe<BookingReply> p1 = testKit.createTestProbe(BookingReply.class);
    TestProbe<BookingReply> p2 = testKit.createTestProbe(BookingReply.class);
    TestProbe<BookingReply> p3 = testKit.createTestProbe(BookingReply.class);
    String b1 = KitchenIds.newBookingId(kitchenId);
    HoldSlot h1 = new HoldSlot(RENTER, b1, SLOT_A, null, p1.ref());
    // Overlaps h1: refused.
    HoldSlot h2 =
        new HoldSlot(
            OTHER_RENTER,
            KitchenIds.newBookingId(kitchenId),
            slot("2026-06-03T15:00:00Z", "2026-06-03T17:00:00Z"),
            null,
            p2.ref());
    // Past its deadline when it arrives: dropped, never answered.
    HoldSlot h3 =
        new HoldSlot(
            THIRD_RENTER,
            KitchenIds.newBookingId(kitchenId),
            SLOT_B,
            null,
            p3.ref(),
            clock.instant().minusSeconds(1));

    CommandResultWithReply<Command, Event, State, HoldBatchDone> result =
        kit.runCommand(done -> new HoldSlots(List.of(h1, h2, h3), done, true));

    HoldBatchDone done = result.reply();
    assertThat(done.accepted()).isEqualTo(1);
    assertThat(done.rejected()).isEqualTo(2);
    assertThat(done.answers()).hasSize(3);
    assertThat(((BookingAccepted) done.answers().get(0).reply()).booking().bookingId())
        .isEqualTo(b1);
    assertThat(((BookingRejected) done.answers().get(1).reply()).rejection().code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
    assertThat(done.answers().get(2)).isEqualTo(HoldAnswer.NONE);
    assertThat(result.events()).hasSize(1);
    p1.expectNoMessage(Duration.ofMillis(50));
    p2.expectNoMessage(Duration.ZERO);
    p3.expectNoMessage(Duration.ZERO);
  }
}
