package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.kitchen.BookingStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One row of {@code kitchen_daily_stats}: a kitchen's figures for one local day, computed from
 * its rows in {@code bookings} alone, so that the aggregates always add up to the rows.
 *
 * <p>Counts and money belong to the day a booking starts. Booked minutes are those of confirmed
 * and completed bookings, split over the days they span. Money counts only bookings that were
 * confirmed (paid), net of refunds: {@code gross - refunds = tax + platform_fee + host_net}.
 */
record DailyStats(
    String kitchenId,
    LocalDate localDate,
    String hostId,
    String currency,
    long openMinutes,
    long bookedMinutes,
    BigDecimal occupancy,
    int holdsPlaced,
    int bookingsConfirmed,
    int holdsExpired,
    int bookingsCancelled,
    int bookingsCompleted,
    BigDecimal conversion,
    long grossCents,
    long refundsCents,
    long taxCents,
    long platformFeeCents,
    long hostNetCents) {

  /** What of a booking row the day's figures need. */
  record BookingFigures(
      Instant start,
      Instant end,
      LocalDate localDate,
      BookingStatus status,
      boolean wasConfirmed,
      long totalCents,
      long taxCents,
      long platformFeeCents,
      long hostPayoutCents,
      long refundCents,
      long refundHostShareCents,
      long refundPlatformShareCents,
      long refundTaxShareCents) {}

  static DailyStats compute(KitchenCalendar kitchen, LocalDate date, List<BookingFigures> bookings) {
    Interval day = kitchen.day(date);
    long booked = 0;
    int holds = 0, confirmed = 0, expired = 0, cancelled = 0, completed = 0;
    long gross = 0, refunds = 0, tax = 0, fee = 0, hostNet = 0;
    for (BookingFigures b : bookings) {
      if (b.status() == BookingStatus.CONFIRMED || b.status() == BookingStatus.COMPLETED) {
        Interval within = new Interval(b.start(), b.end()).clip(day);
        if (within != null) booked += within.minutes();
      }
      if (!b.localDate().equals(date)) continue;
      holds++;
      if (b.status() == BookingStatus.EXPIRED) expired++;
      if (b.status() == BookingStatus.CANCELLED) cancelled++;
      if (b.status() == BookingStatus.COMPLETED) completed++;
      if (b.wasConfirmed()) {
        confirmed++;
        gross += b.totalCents();
        refunds += b.refundCents();
        tax += b.taxCents() - b.refundTaxShareCents();
        fee += b.platformFeeCents() - b.refundPlatformShareCents();
        hostNet += b.hostPayoutCents() - b.refundHostShareCents();
      }
    }
    long open = kitchen.openMinutes(date);
    return new DailyStats(kitchen.kitchenId(), date, kitchen.hostId(), kitchen.currency(), open, booked,
        ratio(booked, open), holds, confirmed, expired, cancelled, completed, ratio(confirmed, holds),
        gross, refunds, tax, fee, hostNet);
  }

  private static BigDecimal ratio(long part, long whole) {
    return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
  }
}
