package com.hearth.engine.kitchen;

import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.RuleViolation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The booking rules of a kitchen, checked against a requested slot in a fixed order so that a
 * client always hears about the most basic problem first.
 */
public final class BookingPolicy {

  private BookingPolicy() {}

  public static Optional<Rejection> check(KitchenSettings settings, Interval slot, Instant now) {
    BookingRules rules = settings.rules();
    ZoneId zone = settings.zone();
    long minutes = slot.minutes();
    if (slot.start().isBefore(now))
      return violation(RuleViolation.IN_PAST, "the slot starts in the past");
    if (!Schedule.isAligned(slot.start(), zone, rules.slotMinutes())
        || !Schedule.isAligned(slot.end(), zone, rules.slotMinutes()))
      return violation(
          RuleViolation.MISALIGNED,
          "start and end must fall on "
              + rules.slotMinutes()
              + "-minute boundaries of the kitchen's local time");
    if (minutes < rules.minDurationMinutes())
      return violation(
          RuleViolation.TOO_SHORT,
          "the minimum duration is " + rules.minDurationMinutes() + " minutes");
    if (minutes > rules.maxDurationMinutes())
      return violation(
          RuleViolation.TOO_LONG,
          "the maximum duration is " + rules.maxDurationMinutes() + " minutes");
    if (slot.start().isBefore(now.plus(Duration.ofMinutes(rules.minNoticeMinutes()))))
      return violation(
          RuleViolation.TOO_SOON, "bookings need " + rules.minNoticeMinutes() + " minutes' notice");
    if (slot.start().isAfter(now.plus(Duration.ofDays(rules.horizonDays()))))
      return violation(
          RuleViolation.BEYOND_HORIZON, "bookings open " + rules.horizonDays() + " days ahead");
    if (settings.blackouts().stream().anyMatch(slot::overlaps))
      return violation(RuleViolation.IN_BLACKOUT, "the slot overlaps a blackout period");
    if (!Schedule.isOpenThroughout(settings.openingHours(), zone, slot))
      return violation(
          RuleViolation.OUTSIDE_OPENING_HOURS, "the kitchen is not open for the whole slot");
    return Optional.empty();
  }

  private static Optional<Rejection> violation(RuleViolation rule, String detail) {
    return Optional.of(Rejection.rule(rule, detail));
  }
}
