package com.hearth.engine.kitchen;

/** Where a booking is in its lifecycle; only HELD and CONFIRMED occupy the kitchen. */
public enum BookingStatus {
  HELD,
  CONFIRMED,
  COMPLETED,
  EXPIRED,
  CANCELLED;

  public boolean occupies() {
    return this == HELD || this == CONFIRMED;
  }

  /**
   * Whether a booking in this status counts as confirmed: CONFIRMED, or COMPLETED (confirmed, then
   * used). A payment whose confirmation is retried after the booking ended finds it COMPLETED, and
   * must not refund a booking that was paid for and used.
   */
  public boolean countsAsConfirmed() {
    return this == CONFIRMED || this == COMPLETED;
  }
}
