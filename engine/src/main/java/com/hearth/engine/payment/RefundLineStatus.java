package com.hearth.engine.payment;

/** Where one refund of a payment is; clients see these names. */
public enum RefundLineStatus {
  /** Recorded; the gateway call is made, or made again until the gateway answers for good. */
  REQUESTED,
  /** The gateway made the refund. */
  SUCCEEDED,
  /**
   * The gateway refused it for good, or answered that it failed at once: its amount is free again.
   */
  REJECTED,
  /**
   * The gateway made it, then reported it failed or canceled: the money came back to the platform,
   * not to the renter. Not retried (see docs/payments.md).
   */
  FAILED;

  /** Whether the refund's amount is spoken for: paid back, or on its way. */
  public boolean holdsAmount() {
    return this == REQUESTED || this == SUCCEEDED;
  }
}
