package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCompleted;
import com.hearth.engine.kitchen.KitchenEntity.BookingConfirmed;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.ConfirmBooking;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.HoldExpired;
import com.hearth.engine.kitchen.KitchenEntity.Listed;
import com.hearth.engine.kitchen.KitchenEntity.SettleDue;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;

/**
 * What the clock settles: holds expire, confirmed bookings complete after their end; who confirms.
 * The kitchen, clock and prices are {@link KitchenEntityFixture}'s.
 */
class KitchenSettlementTest extends KitchenEntityFixture {

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
    assertThat(early.stateOfType(Listed.class).bookings().get(bookingId).status())
        .isEqualTo(BookingStatus.HELD);

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
    assertThat(late.events())
        .containsExactly(
            new HoldExpired(kitchenId, bookingId, Instant.parse("2026-06-01T12:11:00Z")));
    assertThat(late.stateOfType(Listed.class).bookings().get(bookingId).status())
        .isEqualTo(BookingStatus.EXPIRED);

    CommandResultWithReply<Command, Event, State, BookingReply> again =
        kit.runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r));
    assertThat(rejectionOf(again).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void confirmedBookingIsCompletedByTheTickAfterItsEnd() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    confirm(ADMIN, bookingId);

    clock.advance(Duration.between(T0, SLOT_A.end()).plusMinutes(1));
    Instant completedAt = Instant.parse("2026-06-03T16:01:00Z");
    CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
    assertThat(tick.events())
        .containsExactly(new BookingCompleted(kitchenId, bookingId, completedAt));
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
    String endingId =
        heldBooking(RENTER, slot("2026-06-01T13:00:00Z", "2026-06-01T15:00:00Z")).bookingId();
    confirm(ADMIN, endingId);
    clock.advance(Duration.ofHours(2).plusMinutes(55));
    String heldId = heldBooking(OTHER_RENTER, SLOT_A).bookingId(); // its hold runs out at 15:05Z
    clock.advance(Duration.ofMinutes(10));
    Instant now = Instant.parse("2026-06-01T15:05:00Z");

    List<Integer> writesOfThisKitchen = new CopyOnWriteArrayList<>();
    kit.persistenceTestKit()
        .withPolicy(
            (persistenceId, operation) -> {
              if (persistenceId.endsWith(kitchenId) && operation instanceof WriteEvents write)
                writesOfThisKitchen.add(write.getBatch().size());
              return ProcessingSuccess.getInstance();
            });
    try {
      CommandResult<Command, Event, State> tick = kit.runCommand(new SettleDue());
      assertThat(tick.events())
          .containsExactly(
              new HoldExpired(kitchenId, heldId, now),
              new BookingCompleted(kitchenId, endingId, now));
      assertThat(writesOfThisKitchen)
          .as("one journal write carrying both events")
          .containsExactly(2);
      Listed state = tick.stateOfType(Listed.class);
      assertThat(state.bookings().get(heldId).status()).isEqualTo(BookingStatus.EXPIRED);
      assertThat(state.bookings().get(endingId).status()).isEqualTo(BookingStatus.COMPLETED);
    } finally {
      kit.persistenceTestKit().resetPolicy();
    }
  }

  @Test
  void completedBookingCannotBeCancelled() {
    createKitchen(SETTINGS);
    publish();
    Booking completed = completedBooking();
    String bookingId = completed.bookingId();

    CommandResultWithReply<Command, Event, State, BookingReply> cancel =
        kit.runCommand(r -> new CancelBooking(HOST, bookingId, "too late", r));
    assertThat(rejectionOf(cancel).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(rejectionOf(cancel).detail()).isEqualTo("a COMPLETED booking cannot be cancelled");
    assertThat(cancel.hasNoEvents()).isTrue();
    assertThat(getBooking(RENTER, bookingId)).isEqualTo(completed);
  }

  @Test
  void completedBookingCannotBeConfirmed() {
    createKitchen(SETTINGS);
    publish();
    Booking completed = completedBooking();
    String bookingId = completed.bookingId();

    CommandResultWithReply<Command, Event, State, BookingReply> confirm =
        kit.runCommand(r -> new ConfirmBooking(ADMIN, bookingId, r));
    assertThat(rejectionOf(confirm).code()).isEqualTo(Rejection.Code.INVALID_STATE);
    assertThat(rejectionOf(confirm).detail()).isEqualTo("a COMPLETED booking cannot be confirmed");
    assertThat(confirm.hasNoEvents()).isTrue();
    assertThat(getBooking(RENTER, bookingId)).isEqualTo(completed);
  }

  /**
   * The scheduler takes delays of at most about 248 days; a booking ending later must still arm the
   * timer.
   */
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
    assertThat(byAdmin.events())
        .containsExactly(
            new BookingConfirmed(kitchenId, bookingId, "admin-1", Role.ADMIN, confirmedAt));

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
    assertThat(((BookingAccepted) bySystem.reply()).booking().status())
        .isEqualTo(BookingStatus.CONFIRMED);
    assertThat(bySystem.events())
        .containsExactly(
            new BookingConfirmed(kitchenId, bookingId, Actor.SYSTEM.id(), Role.SYSTEM, T0));
  }
}
