package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Actor;
import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.Role;
import com.hearth.engine.kitchen.KitchenEntity.BookingAccepted;
import com.hearth.engine.kitchen.KitchenEntity.BookingCancelled;
import com.hearth.engine.kitchen.KitchenEntity.BookingReply;
import com.hearth.engine.kitchen.KitchenEntity.CancelBooking;
import com.hearth.engine.kitchen.KitchenEntity.Command;
import com.hearth.engine.kitchen.KitchenEntity.Event;
import com.hearth.engine.kitchen.KitchenEntity.GetBooking;
import com.hearth.engine.kitchen.KitchenEntity.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;

/**
 * Cancelling: what each party gets back, and who may see or cancel a booking. The kitchen, clock
 * and prices are {@link KitchenEntityFixture}'s.
 */
class KitchenCancellationTest extends KitchenEntityFixture {

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
    assertThat(result.events())
        .containsExactly(
            new BookingCancelled(
                kitchenId,
                bookingId,
                "renter-1",
                Role.RENTER,
                "plans changed",
                5142,
                Instant.parse("2026-06-01T12:05:00Z")));

    // The slot is free again, and cancelling twice changes nothing.
    assertThat(heldBooking(OTHER_RENTER, threeDaysAhead).status()).isEqualTo(BookingStatus.HELD);
    CommandResultWithReply<Command, Event, State, BookingReply> twice =
        kit.runCommand(r -> new CancelBooking(RENTER, bookingId, "again", r));
    assertThat(twice.replyOfType(BookingAccepted.class).booking().refundCents()).isEqualTo(5142);
    assertThat(twice.hasNoEvents()).isTrue();
  }

  @Test
  void renterCancellingWithinTwoDaysGetsHalf() {
    createKitchen(SETTINGS);
    publish();
    // Tuesday 2026-06-02 14:00-16:00 EDT = 30 h after T0.
    String renterCancels =
        heldBooking(RENTER, slot("2026-06-02T18:00:00Z", "2026-06-02T20:00:00Z")).bookingId();
    confirm(ADMIN, renterCancels);

    // 50 % of 5413 = 2706.5 -> 2707.
    assertThat(
            kit.<BookingReply>runCommand(r -> new CancelBooking(RENTER, renterCancels, null, r))
                .replyOfType(BookingAccepted.class)
                .booking()
                .refundCents())
        .isEqualTo(2707);
  }

  @Test
  void hostCancellingRefundsInFull() {
    createKitchen(SETTINGS);
    publish();
    String hostCancels = heldBooking(OTHER_RENTER, SLOT_A).bookingId();
    confirm(ADMIN, hostCancels);

    Booking byHost =
        kit.<BookingReply>runCommand(r -> new CancelBooking(HOST, hostCancels, "oven broke", r))
            .replyOfType(BookingAccepted.class)
            .booking();
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

  /**
   * The role a cancellation records is who the canceller is to the booking: an admin as ADMIN, the
   * platform as SYSTEM (both refund in full: 5413 for the two hours of A; B is one hour, subtotal
   * 2500, tax 2500 * 8.25 % = 206.25 -> 206, total 2706), an operator may not cancel at all, and
   * someone who is both a renter and an operator cancels their own booking as its RENTER (72 h
   * ahead: 5413 - 271 = 5142).
   */
  @Test
  void theCancellationRecordsWhoCancelledAndRefundsByThatRole() {
    createKitchen(SETTINGS);
    publish();
    Interval threeDaysAhead = slot("2026-06-04T12:00:00Z", "2026-06-04T14:00:00Z");
    String byAdmin = heldBooking(RENTER, SLOT_A).bookingId();
    String bySystem = heldBooking(OTHER_RENTER, SLOT_B).bookingId();
    Actor renterAndOperator = new Actor("renter-4", Set.of(Role.RENTER, Role.OPERATOR));
    String byItsRenter = heldBooking(renterAndOperator, threeDaysAhead).bookingId();
    for (String id : List.of(byAdmin, bySystem, byItsRenter)) confirm(ADMIN, id);

    assertThat(
            kit.<BookingReply>runCommand(r -> new CancelBooking(ADMIN, byAdmin, null, r)).events())
        .containsExactly(
            new BookingCancelled(kitchenId, byAdmin, "admin-1", Role.ADMIN, null, 5413, T0));
    assertThat(
            kit.<BookingReply>runCommand(r -> new CancelBooking(Actor.SYSTEM, bySystem, null, r))
                .events())
        .containsExactly(
            new BookingCancelled(
                kitchenId, bySystem, Actor.SYSTEM.id(), Role.SYSTEM, null, 2706, T0));
    assertThat(
            kit.<BookingReply>runCommand(
                    r -> new CancelBooking(renterAndOperator, byItsRenter, null, r))
                .events())
        .containsExactly(
            new BookingCancelled(kitchenId, byItsRenter, "renter-4", Role.RENTER, null, 5142, T0));
  }

  @Test
  void anOperatorMayNotCancel() {
    createKitchen(SETTINGS);
    publish();
    String bookingId = heldBooking(RENTER, SLOT_A).bookingId();
    Actor operator = new Actor("operator-1", Set.of(Role.OPERATOR));

    CommandResultWithReply<Command, Event, State, BookingReply> result =
        kit.runCommand(r -> new CancelBooking(operator, bookingId, null, r));

    assertThat(rejectionOf(result).code()).isEqualTo(Rejection.Code.FORBIDDEN);
    assertThat(result.hasNoEvents()).isTrue();
  }
}
