package com.hearth.engine.kitchen;

/**
 * The money rules (docs/architecture.md, "Money"), in integer minor units with half-up rounding.
 * Nothing here touches floating point.
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

  /**
   * Splits a refund of a booking's total in proportion to what each party received of it: the
   * host's payout, the tax and the platform's fee. Host and tax shares are rounded half up; the
   * platform's share is the remainder, so the parts add up to the refund exactly.
   */
  public static RefundSplit splitRefund(PriceBreakdown price, long refundCents) {
    if (refundCents < 0 || refundCents > price.totalCents())
      throw new IllegalArgumentException("a refund lies between zero and the total paid");
    if (refundCents == 0) return RefundSplit.NONE;
    long host =
        roundHalfUp(Math.multiplyExact(refundCents, price.hostPayoutCents()), price.totalCents());
    long tax =
        Math.min(
            refundCents - host,
            roundHalfUp(Math.multiplyExact(refundCents, price.taxCents()), price.totalCents()));
    return new RefundSplit(host, refundCents - host - tax, tax);
  }

  /** {@code numerator / denominator} rounded half up, for non-negative numerators. */
  public static long roundHalfUp(long numerator, long denominator) {
    if (numerator < 0 || denominator <= 0)
      throw new IllegalArgumentException("non-negative amounts only");
    long quotient = numerator / denominator;
    long remainder = numerator % denominator;
    return remainder * 2 >= denominator ? quotient + 1 : quotient;
  }
}
