package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.HoldBatchDone;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlots;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No ghost writes: a hold, confirm or cancel that reaches the kitchen after its deadline (its
 * sender has answered 503 by then) is neither applied nor answered. The clock is manual; the
 * kitchen and its prices are {@link KitchenEntityFixture}'s, published.
 */
class KitchenDeadlineTest extends KitchenEntityFixture {

  @BeforeEach
  void publishedKitchen() {
    createKitchen(SETTINGS);
    publish();
  }

  @Test
  void aHoldPastItsDeadlineIsNeitherAppliedNorAnswered() {
    TestProbe<BookingReply> late = testKit.createTestProbe(BookingReply.class);
    String bookingId = KitchenIds.newBookingId(kitchenId);
    Instant deadline = clock.instant().plusSeconds(4);
    clock.advance(Duration.ofSeconds(4));

    CommandResult<Command, Event, State> result =
        kit.runCommand(new HoldSlot(RENTER, bookingId, SLOT_A, "k-1", late.ref(), deadline));

    assertThat(result.events()).isEmpty();
    assertThat(result.stateOfType(Listed.class).bookings()).doesNotContainKey(bookingId);
    assertThat(result.stateOfType(Listed.class).holdKeys()).isEmpty();
    late.expectNoMessage(Duration.ofMillis(200));
    // The slot is still free, and the same key can be used for a retry, which is applied.
    Instant fresh = clock.instant().plusSeconds(4);
    CommandResultWithReply<Command, Event, State, BookingReply> retry =
        kit.runCommand(
            r -> new HoldSlot(RENTER, KitchenIds.newBookingId(kitchenId), SLOT_A, "k-1", r, fresh));
    assertThat(retry.replyOfType(BookingAccepted.class).replayed()).isFalse();
  }

  @Test
  void aBatchAppliesOnlyTheHoldsStillInTime() {
    TestProbe<BookingReply> p1 = testKit.createTestProbe(BookingReply.class);
    TestProbe<BookingReply> p2 = testKit.createTestProbe(BookingReply.class);
    String stale = KitchenIds.newBookingId(kitchenId);
    String fresh = KitchenIds.newBookingId(kitchenId);
    HoldSlot lateHold =
        new HoldSlot(RENTER, stale, SLOT_A, null, p1.ref(), clock.instant().minusMillis(1));
    HoldSlot inTime =
        new HoldSlot(RENTER, fresh, SLOT_B, null, p2.ref(), clock.instant().plusSeconds(1));

    CommandResultWithReply<Command, Event, State, HoldBatchDone> result =
        kit.runCommand(done -> new HoldSlots(List.of(lateHold, inTime), done));

    assertThat(result.reply()).isEqualTo(new HoldBatchDone(1, 1));
    assertThat(result.events()).extracting(e -> ((SlotHeld) e).bookingId()).containsExactly(fresh);
    assertThat(p2.expectMessageClass(BookingAccepted.class).booking().bookingId()).isEqualTo(fresh);
    p1.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aConfirmOrCancelPastItsDeadlineChangesNothing() {
    String bookingId = KitchenIds.newBookingId(kitchenId);
    kit.<BookingReply>runCommand(r -> new HoldSlot(RENTER, bookingId, SLOT_A, null, r))
        .replyOfType(BookingAccepted.class);
    TestProbe<BookingReply> probe = testKit.createTestProbe(BookingReply.class);
    Instant past = clock.instant();
    clock.advance(Duration.ofSeconds(1));

    CommandResult<Command, Event, State> confirm =
        kit.runCommand(new ConfirmBooking(ADMIN, bookingId, probe.ref(), past));
    CommandResult<Command, Event, State> cancel =
        kit.runCommand(new CancelBooking(RENTER, bookingId, "late", probe.ref(), past));

    assertThat(confirm.events()).isEmpty();
    assertThat(cancel.events()).isEmpty();
    assertThat(cancel.stateOfType(Listed.class).bookings().get(bookingId).status())
        .isEqualTo(BookingStatus.HELD);
    probe.expectNoMessage(Duration.ofMillis(200));
    // In time, the same confirm is applied.
    Instant inTime = clock.instant().plusSeconds(1);
    assertThat(
            kit.<BookingReply>runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r, inTime))
                .replyOfType(BookingAccepted.class)
                .booking()
                .status())
        .isEqualTo(BookingStatus.CONFIRMED);
  }
}
