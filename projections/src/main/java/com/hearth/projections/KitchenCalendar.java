package com.hearth.projections;

import com.hearth.engine.Interval;
import com.hearth.engine.kitchen.OpeningHours;
import com.hearth.engine.kitchen.Schedule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** A kitchen's local days: where they begin and end, and how many minutes of each it is open. */
record KitchenCalendar(
    String kitchenId,
    String hostId,
    String currency,
    ZoneId zone,
    OpeningHours hours,
    List<Interval> blackouts) {

  Interval day(LocalDate date) {
    return new Interval(
        date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant());
  }

  LocalDate dateOf(Instant instant) {
    return instant.atZone(zone).toLocalDate();
  }

  /** Every local day that {@code slot} touches; the end is exclusive. */
  SortedSet<LocalDate> datesOf(Interval slot) {
    SortedSet<LocalDate> dates = new TreeSet<>();
    LocalDate last = dateOf(slot.end().minusNanos(1));
    for (LocalDate d = dateOf(slot.start()); !d.isAfter(last); d = d.plusDays(1)) dates.add(d);
    return dates;
  }

  /**
   * Minutes of {@code date} inside opening hours and outside blackouts; a DST day counts real
   * minutes.
   */
  long openMinutes(LocalDate date) {
    Interval day = day(date);
    List<Interval> open = Interval.subtract(Schedule.openIntervals(hours, zone, day), blackouts);
    return open.stream().mapToLong(Interval::minutes).sum();
  }
}
