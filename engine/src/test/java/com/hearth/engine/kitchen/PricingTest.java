package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The money rules (docs/architecture.md, "Money"). Every expected amount below was worked out by
 * hand from {@code subtotal = rhu(rate * m / 60)}, {@code fee = rhu(subtotal * 15 / 100)}, {@code
 * tax = rhu(subtotal * tax_bps / 10000)}, {@code total = subtotal + tax}, {@code payout = subtotal
 * - fee}, where rhu rounds half up.
 */
class PricingTest {

  private static final int FEE_BPS = 1500;

  @Test
  void halfCentSubtotalRoundsUp() {
    // 1001 * 30 / 60 = 500.5 -> 501; fee 501 * 0.15 = 75.15 -> 75; no tax; payout 501 - 75 = 426.
    assertThat(Pricing.quote(1001, 30, FEE_BPS, 0, "USD"))
        .isEqualTo(new PriceBreakdown(501, 75, 0, 501, 426, "USD"));
  }

  @Test
  void wholeHoursWithTax825() {
    // 2500 * 90 / 60 = 3750 exactly; fee 3750 * 0.15 = 562.5 -> 563 (half up);
    // tax 3750 * 0.0825 = 309.375 -> 309; total 3750 + 309 = 4059; payout 3750 - 563 = 3187.
    assertThat(Pricing.quote(2500, 90, FEE_BPS, 825, "USD"))
        .isEqualTo(new PriceBreakdown(3750, 563, 309, 4059, 3187, "USD"));
  }

  @Test
  void quarterHourFractionRoundsDownAndTaxRoundsUp() {
    // 1999 * 45 = 89955; / 60 = 1499.25 -> 1499; fee 1499 * 0.15 = 224.85 -> 225;
    // tax 1499 * 0.0825 = 123.6675 -> 124; total 1499 + 124 = 1623; payout 1499 - 225 = 1274.
    assertThat(Pricing.quote(1999, 45, FEE_BPS, 825, "EUR"))
        .isEqualTo(new PriceBreakdown(1499, 225, 124, 1623, 1274, "EUR"));
  }

  @Test
  void feeJustBelowHalfAndTaxJustAboveHalf() {
    // 3333 * 60 / 60 = 3333; fee 3333 * 0.15 = 499.95 -> 500; tax 3333 * 0.0825 = 274.9725 -> 275;
    // total 3333 + 275 = 3608; payout 3333 - 500 = 2833.
    assertThat(Pricing.quote(3333, 60, FEE_BPS, 825, "USD"))
        .isEqualTo(new PriceBreakdown(3333, 500, 275, 3608, 2833, "USD"));
  }

  @Test
  void taxOfExactlyHalfACentRoundsUp() {
    // 200 * 60 / 60 = 200; fee 200 * 0.15 = 30 exactly; tax 200 * 825 / 10000 = 16.5 -> 17;
    // total 200 + 17 = 217; payout 200 - 30 = 170.
    assertThat(Pricing.quote(200, 60, FEE_BPS, 825, "USD"))
        .isEqualTo(new PriceBreakdown(200, 30, 17, 217, 170, "USD"));
  }

  @Test
  void zeroTaxMeansTotalEqualsSubtotal() {
    // 4200 * 150 / 60 = 10500; fee 10500 * 0.15 = 1575; tax 0; total 10500; payout 10500 - 1575 =
    // 8925.
    assertThat(Pricing.quote(4200, 150, FEE_BPS, 0, "USD"))
        .isEqualTo(new PriceBreakdown(10500, 1575, 0, 10500, 8925, "USD"));
  }

  @Test
  void tinyAmountsRoundHalfUpAndDown() {
    // 1 * 30 / 60 = 0.5 -> 1; fee 0.15 -> 0; payout 1.
    assertThat(Pricing.quote(1, 30, FEE_BPS, 0, "USD"))
        .isEqualTo(new PriceBreakdown(1, 0, 0, 1, 1, "USD"));
    // 1 * 29 / 60 = 0.483 -> 0; everything else is 0.
    assertThat(Pricing.quote(1, 29, FEE_BPS, 825, "USD"))
        .isEqualTo(new PriceBreakdown(0, 0, 0, 0, 0, "USD"));
    // A free kitchen costs nothing.
    assertThat(Pricing.quote(0, 720, FEE_BPS, 825, "USD"))
        .isEqualTo(new PriceBreakdown(0, 0, 0, 0, 0, "USD"));
  }

  @Test
  void platformFeeIsConfigurable() {
    // 6000 * 60 / 60 = 6000; fee at 10 % (1000 bps) = 600; tax 0; payout 5400.
    assertThat(Pricing.quote(6000, 60, 1000, 0, "USD"))
        .isEqualTo(new PriceBreakdown(6000, 600, 0, 6000, 5400, "USD"));
    // No fee at all: the host gets the whole subtotal.
    assertThat(Pricing.quote(6000, 60, 0, 0, "USD"))
        .isEqualTo(new PriceBreakdown(6000, 0, 0, 6000, 6000, "USD"));
  }

  @Test
  void largestAllowedRateForTwelveHoursDoesNotOverflow() {
    // 100_000_000 * 720 / 60 = 1_200_000_000; fee 15 % = 180_000_000;
    // tax 8.25 % = 99_000_000; total 1_299_000_000; payout 1_020_000_000.
    assertThat(Pricing.quote(100_000_000L, 720, FEE_BPS, 825, "USD"))
        .isEqualTo(
            new PriceBreakdown(
                1_200_000_000L, 180_000_000L, 99_000_000L, 1_299_000_000L, 1_020_000_000L, "USD"));
  }

  @Test
  void amountsSatisfyTheBookkeepingIdentities() {
    for (long rate : new long[] {1, 999, 1001, 2500, 3333, 12_345}) {
      for (long minutes : new long[] {5, 30, 45, 60, 90, 125, 720}) {
        PriceBreakdown p = Pricing.quote(rate, minutes, FEE_BPS, 825, "USD");
        assertThat(p.totalCents()).isEqualTo(p.subtotalCents() + p.taxCents());
        assertThat(p.hostPayoutCents()).isEqualTo(p.subtotalCents() - p.platformFeeCents());
        // |subtotal - exact| <= 1/2 cent, i.e. |60 * subtotal - rate * minutes| <= 30.
        assertThat(Math.abs(60 * p.subtotalCents() - rate * minutes)).isLessThanOrEqualTo(30);
      }
    }
  }

  @Test
  void hugeRateTimesMinutesOverflowsLoudly() {
    // Long.MAX_VALUE / 2 * 3 does not fit in a long.
    assertThatThrownBy(() -> Pricing.quote(Long.MAX_VALUE / 2, 3, FEE_BPS, 0, "USD"))
        .isInstanceOf(ArithmeticException.class);
    // rate * 60 just fits, but the subtotal (= rate) times 1500 bps does not.
    assertThatThrownBy(() -> Pricing.quote(Long.MAX_VALUE / 60, 60, FEE_BPS, 0, "USD"))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void roundHalfUpEdgeCases() {
    assertThat(Pricing.roundHalfUp(5, 10)).isEqualTo(1); // 0.5 -> 1
    assertThat(Pricing.roundHalfUp(15, 10)).isEqualTo(2); // 1.5 -> 2
    assertThat(Pricing.roundHalfUp(25, 10)).isEqualTo(3); // 2.5 -> 3 (not banker's 2)
    assertThat(Pricing.roundHalfUp(149, 100)).isEqualTo(1); // 1.49 -> 1
    assertThat(Pricing.roundHalfUp(150, 100)).isEqualTo(2); // 1.50 -> 2
    assertThat(Pricing.roundHalfUp(151, 100)).isEqualTo(2); // 1.51 -> 2
    assertThat(Pricing.roundHalfUp(4999, 10_000)).isEqualTo(0); // 0.4999 -> 0
    assertThat(Pricing.roundHalfUp(5000, 10_000)).isEqualTo(1); // 0.5 -> 1
    assertThat(Pricing.roundHalfUp(3, 7)).isEqualTo(0); // 0.428 -> 0
    assertThat(Pricing.roundHalfUp(4, 7)).isEqualTo(1); // 0.571 -> 1
    assertThat(Pricing.roundHalfUp(0, 60)).isEqualTo(0);
    assertThat(Pricing.roundHalfUp(120, 60)).isEqualTo(2); // exact
    // Long.MAX_VALUE / 2 = 4611686018427387903.5 -> 4611686018427387904
    assertThat(Pricing.roundHalfUp(Long.MAX_VALUE, 2)).isEqualTo(4_611_686_018_427_387_904L);
  }

  @Test
  void roundHalfUpRejectsNegativeNumeratorsAndNonPositiveDenominators() {
    assertThatThrownBy(() -> Pricing.roundHalfUp(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pricing.roundHalfUp(10, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pricing.roundHalfUp(10, -3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refundSplitsInProportionToWhatEachPartyReceived() {
    PriceBreakdown price =
        Pricing.quote(4000, 120, FEE_BPS, 825, "USD"); // 8000 + 660 tax, fee 1200, payout 6800
    assertThat(Pricing.splitRefund(price, 8660)).isEqualTo(new RefundSplit(6800, 1200, 660));
    assertThat(Pricing.splitRefund(price, 4330)).isEqualTo(new RefundSplit(3400, 600, 330));
    assertThat(Pricing.splitRefund(price, 8227)).isEqualTo(new RefundSplit(6460, 1140, 627));
    assertThat(Pricing.splitRefund(price, 0)).isEqualTo(RefundSplit.NONE);
  }

  @Test
  void refundPartsAlwaysAddUpAndNeverExceedTheirSource() {
    for (PriceBreakdown price :
        new PriceBreakdown[] {
          Pricing.quote(1, 90, FEE_BPS, 0, "USD"),
          Pricing.quote(333, 150, FEE_BPS, 1999, "USD"),
          Pricing.quote(7, 60, FEE_BPS, 10_000, "EUR")
        }) {
      for (long refund = 0; refund <= price.totalCents(); refund++) {
        RefundSplit split = Pricing.splitRefund(price, refund);
        assertThat(split.totalCents()).isEqualTo(refund);
        assertThat(split.hostCents()).isBetween(0L, price.hostPayoutCents());
        assertThat(split.taxCents()).isBetween(0L, price.taxCents());
        assertThat(split.platformCents()).isBetween(0L, price.platformFeeCents());
      }
    }
  }

  @Test
  void refundBeyondTheTotalIsRefused() {
    PriceBreakdown price = Pricing.quote(4000, 60, FEE_BPS, 0, "USD");
    assertThatThrownBy(() -> Pricing.splitRefund(price, price.totalCents() + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pricing.splitRefund(price, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Host and tax shares are each rounded half up, so together they could exceed the refund; the tax
   * share is capped at what the host's leaves. Price: subtotal 1, no fee, tax 1, total 2, host 1. A
   * refund of 1: host 1 * 1 / 2 = 0.5 -> 1; tax 1 * 1 / 2 = 0.5 -> 1, capped at 1 - 1 = 0; platform
   * 1 - 1 - 0 = 0.
   */
  @Test
  void theTaxShareIsCappedAtWhatTheHostShareLeaves() {
    assertThat(Pricing.splitRefund(new PriceBreakdown(1, 0, 1, 2, 1, "USD"), 1))
        .isEqualTo(new RefundSplit(1, 0, 0));
  }
}
