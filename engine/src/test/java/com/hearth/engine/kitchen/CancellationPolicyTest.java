package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Interval;
import com.hearth.engine.Role;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The cancellation policy (docs/architecture.md, "Money"): host or admin refunds in full; a renter
 * cancelling a CONFIRMED booking gets total minus 5 % with 48 h or more to go, 50 % with 24 h to 48
 * h, nothing under 24 h; cancelling a HELD booking costs (and refunds) nothing.
 */
class CancellationPolicyTest {

  private static final Instant START = Instant.parse("2026-06-10T18:00:00Z");
  private static final Interval SLOT = new Interval(START, START.plus(Duration.ofMinutes(90)));
  private static final Instant HELD_AT = Instant.parse("2026-06-01T12:00:00Z");

  // 2500/h for 90 min with 8.25 % tax: subtotal 3750, fee 563, tax 309, total 4059, payout 3187.
  private static final PriceBreakdown PRICE_4059 =
      new PriceBreakdown(3750, 563, 309, 4059, 3187, "USD");
  // An even total where 5 % is exactly x.5 cents: 4050 * 5 / 100 = 202.5.
  private static final PriceBreakdown PRICE_4050 =
      new PriceBreakdown(4050, 608, 0, 4050, 3442, "USD");

  private static Booking held(PriceBreakdown price) {
    return Booking.held(
        "bk_test",
        "kitchen",
        "host-1",
        "renter-1",
        SLOT,
        price,
        HELD_AT,
        HELD_AT.plus(Duration.ofMinutes(10)));
  }

  private static Booking confirmed(PriceBreakdown price) {
    return held(price).confirmed(HELD_AT.plus(Duration.ofMinutes(2)));
  }

  @Test
  void renterExactly48HoursAheadGetsTotalMinusFivePercent() {
    // 5 % of 4059 = 202.95 -> 203; refund 4059 - 203 = 3856.
    assertThat(
            CancellationPolicy.refundCents(
                confirmed(PRICE_4059), Role.RENTER, START.minus(Duration.ofHours(48))))
        .isEqualTo(3856);
  }

  @Test
  void processingFeeRoundsHalfUp() {
    // 5 % of 4050 = 202.5 -> 203 (half up); refund 4050 - 203 = 3847.
    assertThat(
            CancellationPolicy.refundCents(
                confirmed(PRICE_4050), Role.RENTER, START.minus(Duration.ofDays(5))))
        .isEqualTo(3847);
  }

  @Test
  void renterOneSecondUnder48HoursGetsHalf() {
    // 50 % of 4059 = 2029.5 -> 2030.
    Instant now = START.minus(Duration.ofHours(48)).plusSeconds(1);
    assertThat(CancellationPolicy.refundCents(confirmed(PRICE_4059), Role.RENTER, now))
        .isEqualTo(2030);
  }

  @Test
  void renterExactly24HoursAheadGetsHalf() {
    // 50 % of 4059 = 2029.5 -> 2030; 50 % of 4050 = 2025.
    Instant now = START.minus(Duration.ofHours(24));
    assertThat(CancellationPolicy.refundCents(confirmed(PRICE_4059), Role.RENTER, now))
        .isEqualTo(2030);
    assertThat(CancellationPolicy.refundCents(confirmed(PRICE_4050), Role.RENTER, now))
        .isEqualTo(2025);
  }

  @Test
  void renterOneSecondUnder24HoursGetsNothing() {
    Instant now = START.minus(Duration.ofHours(24)).plusSeconds(1);
    assertThat(CancellationPolicy.refundCents(confirmed(PRICE_4059), Role.RENTER, now)).isZero();
  }

  @Test
  void renterAfterTheStartGetsNothing() {
    assertThat(
            CancellationPolicy.refundCents(
                confirmed(PRICE_4059), Role.RENTER, START.plusSeconds(60)))
        .isZero();
  }

  @Test
  void hostAndAdminRefundTheFullTotalWhateverTheNotice() {
    Booking booking = confirmed(PRICE_4059);
    for (Instant now :
        new Instant[] {
          START.minus(Duration.ofDays(10)),
          START.minus(Duration.ofHours(30)),
          START.minus(Duration.ofMinutes(5))
        }) {
      assertThat(CancellationPolicy.refundCents(booking, Role.HOST, now)).isEqualTo(4059);
      assertThat(CancellationPolicy.refundCents(booking, Role.ADMIN, now)).isEqualTo(4059);
    }
  }

  @Test
  void heldBookingRefundsNothingWhoeverCancels() {
    Booking booking = held(PRICE_4059);
    Instant now = START.minus(Duration.ofDays(5));
    assertThat(CancellationPolicy.refundCents(booking, Role.RENTER, now)).isZero();
    assertThat(CancellationPolicy.refundCents(booking, Role.HOST, now)).isZero();
    assertThat(CancellationPolicy.refundCents(booking, Role.ADMIN, now)).isZero();
  }

  @Test
  void refundNeverExceedsTheTotal() {
    Booking booking = confirmed(PRICE_4059);
    for (long hoursAhead = -2; hoursAhead <= 72; hoursAhead++) {
      Instant now = START.minus(Duration.ofHours(hoursAhead));
      for (Role role : new Role[] {Role.RENTER, Role.HOST, Role.ADMIN}) {
        assertThat(CancellationPolicy.refundCents(booking, role, now)).isBetween(0L, 4059L);
      }
    }
  }
}
