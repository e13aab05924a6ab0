package com.hearth.engine.kitchen;

import com.hearth.engine.Interval;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns local, weekly opening hours into UTC instants, exactly across daylight-saving changes.
 *
 * <p>A local time that does not exist (inside a spring-forward gap) opens or closes at the instant
 * of the transition, when the clocks jump past it; a local time that occurs twice (the fall-back
 * hour) means its first occurrence. Every length is measured between instants, so a repeated hour
 * is counted once per real hour and a skipped hour not at all.
 */
public final class Schedule {

  private Schedule() {}

  /** The instants when the kitchen is open within {@code range}, sorted, disjoint and merged. */
  public static List<Interval> openIntervals(OpeningHours hours, ZoneId zone, Interval range) {
    if (hours.aroundTheClock()) return List.of(range);
    LocalDate first = range.start().atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = range.end().atZone(zone).toLocalDate();
    List<Interval> open = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      for (OpeningHours.DailyWindow window : hours.on(day.getDayOfWeek())) {
        Instant opens = toInstant(day, window.openMinute(), zone);
        Instant closes = toInstant(day, window.closeMinute(), zone);
        if (!opens.isBefore(closes)) continue; // a window swallowed whole by a gap
        Interval clipped = new Interval(opens, closes).clip(range);
        if (clipped != null) open.add(clipped);
      }
    }
    return Interval.union(open);
  }

  /** Whether {@code slot} lies inside one stretch of opening hours. */
  public static boolean isOpenThroughout(OpeningHours hours, ZoneId zone, Interval slot) {
    return openIntervals(hours, zone, slot).stream().anyMatch(i -> i.contains(slot));
  }

  /** Whether {@code instant} falls on a slot boundary of the kitchen's local clock. */
  public static boolean isAligned(Instant instant, ZoneId zone, int slotMinutes) {
    ZonedDateTime local = instant.atZone(zone);
    if (local.getSecond() != 0 || local.getNano() != 0) return false;
    int minuteOfDay = local.getHour() * 60 + local.getMinute();
    return minuteOfDay % slotMinutes == 0;
  }

  /** The first slot boundary of the local clock at or after {@code instant}. */
  public static Instant nextAligned(Instant instant, ZoneId zone, int slotMinutes) {
    Instant candidate = instant.truncatedTo(ChronoUnit.MINUTES);
    if (candidate.isBefore(instant)) candidate = candidate.plus(1, ChronoUnit.MINUTES);
    // Local slot boundaries are at most a slot plus one clock change apart in real time (a
    // repeated hour stretches the gap between them); three hours covers every zone's changes.
    for (int i = 0; i <= slotMinutes + 180; i++) {
      if (isAligned(candidate, zone, slotMinutes)) return candidate;
      candidate = candidate.plus(1, ChronoUnit.MINUTES);
    }
    return candidate;
  }

  static Instant toInstant(LocalDate day, int minuteOfDay, ZoneId zone) {
    if (minuteOfDay >= 1440) return day.plusDays(1).atStartOfDay(zone).toInstant();
    LocalDateTime local = LocalDateTime.of(day, LocalTime.ofSecondOfDay(minuteOfDay * 60L));
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition != null && transition.isGap()) return transition.getInstant();
    return ZonedDateTime.ofLocal(local, zone, null).toInstant();
  }
}
