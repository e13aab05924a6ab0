package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Rejection;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.HoldSlot;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.SettleDue;
import com.hearth.engine.kitchen.KitchenEntity.SlotHeld;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;

/**
 * Restarts recover the same kitchen; settled bookings are forgotten after retention. The kitchen,
 * clock and prices are {@link KitchenEntityFixture}'s.
 */
class KitchenRecoveryTest extends KitchenEntityFixture {

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
    assertThat(restarted.state())
        .isInstanceOfSatisfying(
            Listed.class,
            s -> {
              assertThat(s.status()).isEqualTo(KitchenStatus.PUBLISHED);
              assertThat(s.bookings().keySet()).containsExactlyInAnyOrder(confirmedId, heldId);
            });
    assertThat(getBooking(RENTER, confirmedId).status()).isEqualTo(BookingStatus.CONFIRMED);
    assertThat(getBooking(OTHER_RENTER, heldId).status()).isEqualTo(BookingStatus.HELD);
    // Overlaps and idempotency keys are still enforced after recovery.
    assertThat(rejectionOf(hold(THIRD_RENTER, SLOT_A, null)).code())
        .isEqualTo(Rejection.Code.SLOT_UNAVAILABLE);
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
    testKit
        .createTestProbe()
        .awaitAssert(
            () ->
                assertThat(((Listed) kit.getState()).bookings().get(bookingId).completedAt())
                    .isEqualTo(wokenAt));
    assertThat(getBooking(RENTER, bookingId).status()).isEqualTo(BookingStatus.COMPLETED);
  }

  @Test
  void settledBookingsArePrunedAfterRetention() {
    createKitchen(SETTINGS);
    publish();
    // Cancelled at T0.
    String cancelledId = heldBooking(RENTER, SLOT_A).bookingId();
    kit.<BookingReply>runCommand(r -> new CancelBooking(RENTER, cancelledId, null, r))
        .replyOfType(BookingAccepted.class);
    // Confirmed, over at T0 + 4 h (10:00-12:00 EDT today), and completed by the tick at its end.
    String endedId =
        heldBooking(THIRD_RENTER, slot("2026-06-01T14:00:00Z", "2026-06-01T16:00:00Z")).bookingId();
    confirm(ADMIN, endedId);
    clock.advance(Duration.ofHours(4));
    assertThat(kit.runCommand(new SettleDue()).events())
        .containsExactly(
            new BookingCompleted(kitchenId, endedId, Instant.parse("2026-06-01T16:00:00Z")));

    // 29 days on, an event is applied; both are within the 30-day retention.
    clock.advance(Duration.ofDays(29).minusHours(4));
    String laterId =
        heldBooking(OTHER_RENTER, slot("2026-07-02T14:00:00Z", "2026-07-02T16:00:00Z")).bookingId();
    assertThat(getBooking(RENTER, cancelledId).status()).isEqualTo(BookingStatus.CANCELLED);
    assertThat(getBooking(THIRD_RENTER, endedId).status()).isEqualTo(BookingStatus.COMPLETED);

    // 31 days on: the next event (this hold, which first expires the due hold `laterId`) prunes
    // them.
    clock.advance(Duration.ofDays(2));
    String lastId = KitchenIds.newBookingId(kitchenId);
    CommandResultWithReply<Command, Event, State, BookingReply> trigger =
        kit.runCommand(
            r ->
                new HoldSlot(
                    OTHER_RENTER,
                    lastId,
                    slot("2026-07-04T14:00:00Z", "2026-07-04T16:00:00Z"),
                    null,
                    r));
    assertThat(trigger.replyOfType(BookingAccepted.class).booking().status())
        .isEqualTo(BookingStatus.HELD);
    assertThat(trigger.events()).hasSize(2);
    assertThat(trigger.events().get(0))
        .isEqualTo(new HoldExpired(kitchenId, laterId, Instant.parse("2026-07-02T12:00:00Z")));
    assertThat(trigger.events().get(1)).isInstanceOf(SlotHeld.class);

    assertThat(rejectionOf(kit.runCommand(r -> new GetBooking(RENTER, cancelledId, r))).code())
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(rejectionOf(kit.runCommand(r -> new GetBooking(THIRD_RENTER, endedId, r))).code())
        .isEqualTo(Rejection.Code.NOT_FOUND);
    assertThat(getBooking(OTHER_RENTER, laterId).status()).isEqualTo(BookingStatus.EXPIRED);
    assertThat(trigger.stateOfType(Listed.class).bookings().keySet())
        .containsExactlyInAnyOrder(laterId, lastId);
  }
}
