package com.hearth.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;

/**
 * Dates the tests book on, worked out from the clock the code under test reads (a {@link
 * TestClock}), never from the machine's date, so that a test books the same local days whenever and
 * wherever it runs.
 */
public final class TestDates {

  private TestDates() {}

  /** The day in {@code zone} that {@code clock} reads now. */
  public static LocalDate today(Clock clock, ZoneId zone) {
    return LocalDate.ofInstant(clock.instant(), zone);
  }

  /** The instant of local time {@code hour:minute} on {@code day} in {@code zone}. */
  public static Instant at(LocalDate day, int hour, int minute, ZoneId zone) {
    return day.atTime(hour, minute).atZone(zone).toInstant();
  }

  /** The ISO week of {@code day} as the payout API names it: {@code 2027-W18}. */
  public static String isoWeek(LocalDate day) {
    return String.format(
        "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }
}
