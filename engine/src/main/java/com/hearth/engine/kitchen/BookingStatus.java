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
}
