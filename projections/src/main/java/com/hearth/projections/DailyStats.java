package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.kitchen.BookingStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Map;
import java.util.SortedMap;

/**
 * One row of {@code kitchen_daily_stats}: a kitchen's figures for one local day.
 *
 * <p>Counts and money belong to the day a booking starts. Booked minutes are those of confirmed and
 * completed bookings, split over the days they span. Money counts only bookings that were confirmed
 * (paid), net of refunds: {@code gross - refunds = tax + platform_fee + host_net}.
 *
 * <p>Every figure but the open minutes is a sum over the kitchen's bookings of what each booking
 * contributes ({@link Figures#add}), so a change to one booking changes a day by the difference of
 * that booking's contributions before and after: the projection applies that difference and never
 * reads the day's other bookings. The ratios are computed from the sums on every write.
 */
record DailyStats(
    String kitchenId,
    LocalDate localDate,
    String hostId,
    String currency,
    long openMinutes,
    long bookedMinutes,
    BigDecimal occupancy,
    long holdsPlaced,
    long bookingsConfirmed,
    long holdsExpired,
    long bookingsCancelled,
    long bookingsCompleted,
    BigDecimal conversion,
    long grossCents,
    long refundsCents,
    long taxCents,
    long platformFeeCents,
    long hostNetCents) {

  /** The additive figures of one day, in the order of the table's columns. */
  static final class Figures {
    long bookedMinutes;
    long holdsPlaced;
    long bookingsConfirmed;
    long holdsExpired;
    long bookingsCancelled;
    long bookingsCompleted;
    long grossCents;
    long refundsCents;
    long taxCents;
    long platformFeeCents;
    long hostNetCents;

    /**
     * Adds {@code sign} times what {@code booking} contributes to each day into {@code days}; every
     * day the booking spans gets an entry, contributing or not, so that it has a row.
     */
    static void add(
        BookingRow booking, KitchenCalendar kitchen, int sign, SortedMap<LocalDate, Figures> days) {
      for (LocalDate date : kitchen.datesOf(booking.slot)) {
        Figures day = days.computeIfAbsent(date, d -> new Figures());
        if (booking.occupies()) {
          Interval within = booking.slot.clip(kitchen.day(date));
          if (within != null) day.bookedMinutes += sign * within.minutes();
        }
      }
      Figures start = days.computeIfAbsent(booking.localDate, d -> new Figures());
      start.holdsPlaced += sign;
      if (booking.status == BookingStatus.EXPIRED) start.holdsExpired += sign;
      if (booking.status == BookingStatus.CANCELLED) start.bookingsCancelled += sign;
      if (booking.status == BookingStatus.COMPLETED) start.bookingsCompleted += sign;
      if (booking.wasConfirmed()) {
        start.bookingsConfirmed += sign;
        start.grossCents += sign * booking.price.totalCents();
        start.refundsCents += sign * booking.refundCents;
        start.taxCents += sign * (booking.price.taxCents() - booking.refundTaxShareCents);
        start.platformFeeCents +=
            sign * (booking.price.platformFeeCents() - booking.refundPlatformShareCents);
        start.hostNetCents +=
            sign * (booking.price.hostPayoutCents() - booking.refundHostShareCents);
      }
    }

    static void addAll(Map<LocalDate, Figures> from, SortedMap<LocalDate, Figures> into) {
      for (Map.Entry<LocalDate, Figures> day : from.entrySet())
        into.computeIfAbsent(day.getKey(), d -> new Figures()).plus(day.getValue());
    }

    private void plus(Figures o) {
      bookedMinutes += o.bookedMinutes;
      holdsPlaced += o.holdsPlaced;
      bookingsConfirmed += o.bookingsConfirmed;
      holdsExpired += o.holdsExpired;
      bookingsCancelled += o.bookingsCancelled;
      bookingsCompleted += o.bookingsCompleted;
      grossCents += o.grossCents;
      refundsCents += o.refundsCents;
      taxCents += o.taxCents;
      platformFeeCents += o.platformFeeCents;
      hostNetCents += o.hostNetCents;
    }
  }

  /**
   * A day's row with {@code delta} added to {@code before} (a new day when {@code before} is null).
   */
  static DailyStats of(KitchenCalendar kitchen, LocalDate date, DailyStats before, Figures delta) {
    Figures sum = new Figures();
    if (before != null) {
      sum.bookedMinutes = before.bookedMinutes;
      sum.holdsPlaced = before.holdsPlaced;
      sum.bookingsConfirmed = before.bookingsConfirmed;
      sum.holdsExpired = before.holdsExpired;
      sum.bookingsCancelled = before.bookingsCancelled;
      sum.bookingsCompleted = before.bookingsCompleted;
      sum.grossCents = before.grossCents;
      sum.refundsCents = before.refundsCents;
      sum.taxCents = before.taxCents;
      sum.platformFeeCents = before.platformFeeCents;
      sum.hostNetCents = before.hostNetCents;
    }
    if (delta != null) sum.plus(delta);
    long open = before != null ? before.openMinutes : kitchen.openMinutes(date);
    return new DailyStats(
        kitchen.kitchenId(),
        date,
        kitchen.hostId(),
        kitchen.currency(),
        open,
        sum.bookedMinutes,
        ratio(sum.bookedMinutes, open),
        sum.holdsPlaced,
        sum.bookingsConfirmed,
        sum.holdsExpired,
        sum.bookingsCancelled,
        sum.bookingsCompleted,
        ratio(sum.bookingsConfirmed, sum.holdsPlaced),
        sum.grossCents,
        sum.refundsCents,
        sum.taxCents,
        sum.platformFeeCents,
        sum.hostNetCents);
  }

  private static BigDecimal ratio(long part, long whole) {
    return whole == 0
        ? null
        : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
  }
}
