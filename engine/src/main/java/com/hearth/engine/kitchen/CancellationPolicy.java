package com.hearth.engine.kitchen;

import com.hearth.engine.Role;
import java.time.Duration;
import java.time.Instant;

/** How much a cancelled booking refunds, by who cancels and how long before its start. */
public final class CancellationPolicy {

  static final Duration FULL_REFUND_NOTICE = Duration.ofHours(48);
  static final Duration HALF_REFUND_NOTICE = Duration.ofHours(24);
  static final int PROCESSING_FEE_PERCENT = 5;

  private CancellationPolicy() {}

  /**
   * A held booking has taken no money and refunds nothing. A host or admin refunds a confirmed
   * booking in full; a renter gets the total less a 5 % processing fee with 48 h or more to go,
   * half with 24 h to 48 h, and nothing under 24 h.
   */
  public static long refundCents(Booking booking, Role cancelledBy, Instant now) {
    if (booking.status() != BookingStatus.CONFIRMED) return 0;
    long total = booking.price().totalCents();
    if (cancelledBy != Role.RENTER) return total;
    Duration notice = Duration.between(now, booking.slot().start());
    if (notice.compareTo(FULL_REFUND_NOTICE) >= 0)
      return total - Pricing.roundHalfUp(total * PROCESSING_FEE_PERCENT, 100);
    if (notice.compareTo(HALF_REFUND_NOTICE) >= 0) return Pricing.roundHalfUp(total * 50, 100);
    return 0;
  }
}
