package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import java.time.Instant;

/** One booking as the kitchen remembers it; replies carry it as the booking's view. */
public record Booking(
    String bookingId,
    String kitchenId,
    String hostId,
    String renterId,
    Interval slot,
    BookingStatus status,
    PriceBreakdown price,
    Instant heldAt,
    Instant holdExpiresAt,
    Instant confirmedAt,
    Instant cancelledAt,
    Instant expiredAt,
    Instant completedAt,
    Role cancelledBy,
    String cancelReason,
    long refundCents)
    implements CborSerializable {

  static Booking held(
      String bookingId,
      String kitchenId,
      String hostId,
      String renterId,
      Interval slot,
      PriceBreakdown price,
      Instant at,
      Instant expiresAt) {
    return new Booking(
        bookingId,
        kitchenId,
        hostId,
        renterId,
        slot,
        BookingStatus.HELD,
        price,
        at,
        expiresAt,
        null,
        null,
        null,
        null,
        null,
        null,
        0);
  }

  Booking confirmed(Instant at) {
    return new Booking(
        bookingId,
        kitchenId,
        hostId,
        renterId,
        slot,
        BookingStatus.CONFIRMED,
        price,
        heldAt,
        holdExpiresAt,
        at,
        null,
        null,
        null,
        null,
        null,
        0);
  }

  Booking cancelled(Instant at, Role by, String reason, long refund) {
    return new Booking(
        bookingId,
        kitchenId,
        hostId,
        renterId,
        slot,
        BookingStatus.CANCELLED,
        price,
        heldAt,
        holdExpiresAt,
        confirmedAt,
        at,
        null,
        null,
        by,
        reason,
        refund);
  }

  Booking expired(Instant at) {
    return new Booking(
        bookingId,
        kitchenId,
        hostId,
        renterId,
        slot,
        BookingStatus.EXPIRED,
        price,
        heldAt,
        holdExpiresAt,
        null,
        null,
        at,
        null,
        null,
        null,
        0);
  }

  Booking completed(Instant at) {
    return new Booking(
        bookingId,
        kitchenId,
        hostId,
        renterId,
        slot,
        BookingStatus.COMPLETED,
        price,
        heldAt,
        holdExpiresAt,
        confirmedAt,
        null,
        null,
        at,
        null,
        null,
        0);
  }

  /** When the booking stopped changing: its end for live bookings, else its last transition. */
  Instant settledAt() {
    return switch (status) {
      case HELD, CONFIRMED, COMPLETED -> slot.end();
      case CANCELLED -> cancelledAt;
      case EXPIRED -> expiredAt;
    };
  }
}
