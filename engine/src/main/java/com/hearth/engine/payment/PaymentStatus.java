package com.hearth.engine.payment;

/** Where a booking's payment is with the gateway; clients see these names. */
public enum PaymentStatus {
  /** The intent is requested and the gateway has not answered yet. */
  AWAITING_INTENT,
  /** The intent exists; the renter has yet to pay it (or may try again after a failure). */
  REQUIRES_PAYMENT,
  /** The gateway took the money. */
  SUCCEEDED,
  /**
   * The payment failed or was canceled before any money was taken; the renter may try again until
   * the hold expires.
   */
  FAILED
}
