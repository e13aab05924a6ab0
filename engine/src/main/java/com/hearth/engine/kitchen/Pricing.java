package com.hearth.engine.kitchen;

/**
 * The money rules of DESIGN section 3, in integer minor units with half-up rounding. Nothing here
 * touches floating point.
 */
public final class Pricing {

  private Pricing() {}

  /**
   * Quotes a booking of {@code minutes} at {@code hourlyRateCents}. The platform fee and tax are
   * both computed on the subtotal; the renter pays subtotal plus tax, the host gets subtotal minus
   * fee.
   */
  public static PriceBreakdown quote(
      long hourlyRateCents, long minutes, int platformFeeBps, int taxBps, String currency) {
    long subtotal = roundHalfUp(Math.multiplyExact(hourlyRateCents, minutes), 60);
    long fee = roundHalfUp(Math.multiplyExact(subtotal, platformFeeBps), 10_000);
    long tax = roundHalfUp(Math.multiplyExact(subtotal, taxBps), 10_000);
    return new PriceBreakdown(subtotal, fee, tax, subtotal + tax, subtotal - fee, currency);
  }

  /** {@code numerator / denominator} rounded half up, for non-negative numerators. */
  public static long roundHalfUp(long numerator, long denominator) {
    if (numerator < 0 || denominator <= 0) throw new IllegalArgumentException("non-negative amounts only");
    long quotient = numerator / denominator;
    long remainder = numerator % denominator;
    return remainder * 2 >= denominator ? quotient + 1 : quotient;
  }
}
