package com.hearth.engine.payment;

/** What a payment did for its booking; clients see these names. */
public enum PaymentOutcome {
  /** Nothing paid yet. */
  NONE,
  /** Paid, and the kitchen has not yet answered whether it confirms the booking. */
  CONFIRMING,
  /** The kitchen confirmed the booking. */
  CONFIRMED,
  /**
   * The booking could no longer be confirmed (its hold expired or was cancelled): the payment is
   * refunded in full.
   */
  REFUNDED_LATE
}
