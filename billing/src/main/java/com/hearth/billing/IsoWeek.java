package com.hearth.billing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An ISO week, {@code YYYY-Www}, and its Monday: the unit of payouts (UTC). */
public record IsoWeek(String label, LocalDate monday) {

  private static final Pattern FORMAT = Pattern.compile("(\\d{4})-W(\\d{2})");

  public static IsoWeek parse(String text) {
    if (text == null || text.isEmpty())
      throw new Payouts.BadWeek("is required, as an ISO week such as 2026-W48");
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) throw new Payouts.BadWeek("must be an ISO week such as 2026-W48");
    int year = Integer.parseInt(m.group(1));
    int week = Integer.parseInt(m.group(2));
    if (year < 2000) throw new Payouts.BadWeek("must be a week of the year 2000 or later");
    LocalDate january4 = LocalDate.of(year, 1, 4); // always in week 1
    long weeks = IsoFields.WEEK_OF_WEEK_BASED_YEAR.rangeRefinedBy(january4).getMaximum();
    if (week < 1 || week > weeks) throw new Payouts.BadWeek(year + " has ISO weeks 01 to " + weeks);
    return new IsoWeek(
        text, january4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY));
  }

  /** The ISO week {@code day} lies in. */
  public static IsoWeek of(LocalDate day) {
    LocalDate monday = day.with(DayOfWeek.MONDAY);
    return new IsoWeek(
        String.format(
            "%04d-W%02d",
            monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        monday);
  }

  /** The Monday after, when the week ends. */
  public LocalDate nextMonday() {
    return monday.plusWeeks(1);
  }

  public Instant start() {
    return monday.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public Instant end() {
    return nextMonday().atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
