package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Interval;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Opening hours across daylight-saving changes (docs/architecture.md, "Time and daylight-saving
 * time": a local time that does not exist is not bookable, a repeated hour is not double-counted).
 * Expected instants are worked out from the zone offsets: New York is UTC-5 (EST) / UTC-4 (EDT); in
 * 2026 it springs forward on Sunday 8 March at 02:00 EST (= 07:00Z) and falls back on Sunday 1
 * November at 02:00 EDT (= 06:00Z). Berlin is UTC+1 (CET) / UTC+2 (CEST); in 2026 it springs
 * forward on Sunday 29 March at 01:00Z and falls back on Sunday 25 October at 01:00Z.
 */
class ScheduleTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }

  private static Interval interval(String start, String end) {
    return new Interval(at(start), at(end));
  }

  private static OpeningHours on(DayOfWeek day, int openMinute, int closeMinute) {
    return OpeningHours.weekly(
        Map.of(day, List.of(new OpeningHours.DailyWindow(openMinute, closeMinute))));
  }

  @Test
  void theCalendarIsWhatTheseTestsAssume() {
    assertThat(LocalDate.of(2026, 3, 8).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(LocalDate.of(2026, 11, 1).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(LocalDate.of(2026, 3, 29).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(LocalDate.of(2026, 10, 25).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    assertThat(LocalDate.of(2026, 6, 15).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
  }

  @Test
  void springForwardSundayIsOpen23Hours() {
    List<Interval> open =
        Schedule.openIntervals(
            on(DayOfWeek.SUNDAY, 0, 1440),
            NEW_YORK,
            interval("2026-03-07T00:00:00Z", "2026-03-11T00:00:00Z"));
    // 00:00 EST = 05:00Z to next midnight 00:00 EDT = 04:00Z: 23 real hours = 1380 minutes.
    assertThat(open).containsExactly(interval("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
    assertThat(open.get(0).minutes()).isEqualTo(23 * 60);
  }

  @Test
  void fallBackSundayIsOpen25Hours() {
    List<Interval> open =
        Schedule.openIntervals(
            on(DayOfWeek.SUNDAY, 0, 1440),
            NEW_YORK,
            interval("2026-10-31T00:00:00Z", "2026-11-04T00:00:00Z"));
    // 00:00 EDT = 04:00Z to next midnight 00:00 EST = 05:00Z: 25 real hours = 1500 minutes.
    assertThat(open).containsExactly(interval("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"));
    assertThat(open.get(0).minutes()).isEqualTo(25 * 60);
  }

  @Test
  void windowOpeningInsideTheGapOpensWhenTheClocksJump() {
    // 02:30 does not exist on 8 March; the kitchen opens at 03:00 EDT = 07:00Z and closes at
    // 05:00 EDT = 09:00Z: two real hours.
    List<Interval> open =
        Schedule.openIntervals(
            on(DayOfWeek.SUNDAY, 150, 300),
            NEW_YORK,
            interval("2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"));
    assertThat(open).containsExactly(interval("2026-03-08T07:00:00Z", "2026-03-08T09:00:00Z"));
    assertThat(open.get(0).minutes()).isEqualTo(120);
  }

  @Test
  void windowEntirelyInsideTheGapNeverOpens() {
    // 02:00-02:45 on 8 March does not exist at all.
    assertThat(
            Schedule.openIntervals(
                on(DayOfWeek.SUNDAY, 120, 165),
                NEW_YORK,
                interval("2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z")))
        .isEmpty();
  }

  @Test
  void repeatedHourIsCountedOncePerRealHour() {
    // 01:00-02:00 local on 1 November: 01:00 means its first occurrence (EDT, 05:00Z); 02:00 only
    // exists in EST (07:00Z). The window lasts 2 real hours, and the union holds each instant once.
    List<Interval> open =
        Schedule.openIntervals(
            on(DayOfWeek.SUNDAY, 60, 120),
            NEW_YORK,
            interval("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"));
    assertThat(open).containsExactly(interval("2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"));
    assertThat(open.get(0).minutes()).isEqualTo(120);
  }

  @Test
  void halfPastOneIsAlignedOnBothSidesOfTheFallBack() {
    // 01:30 EDT = 05:30Z and 01:30 EST = 06:30Z.
    assertThat(Schedule.isAligned(at("2026-11-01T05:30:00Z"), NEW_YORK, 30)).isTrue();
    assertThat(Schedule.isAligned(at("2026-11-01T06:30:00Z"), NEW_YORK, 30)).isTrue();
    // Neither is on an hour boundary of the local clock.
    assertThat(Schedule.isAligned(at("2026-11-01T05:30:00Z"), NEW_YORK, 60)).isFalse();
    assertThat(Schedule.isAligned(at("2026-11-01T06:30:00Z"), NEW_YORK, 60)).isFalse();
    // 01:45 EDT is on a 15-minute boundary but not a 30-minute one.
    assertThat(Schedule.isAligned(at("2026-11-01T05:45:00Z"), NEW_YORK, 30)).isFalse();
    assertThat(Schedule.isAligned(at("2026-11-01T05:45:00Z"), NEW_YORK, 15)).isTrue();
  }

  @Test
  void alignmentIsJudgedOnTheLocalClockNotUtc() {
    // Kathmandu is UTC+05:45: 00:00Z is 05:45 local, 00:15Z is 06:00 local.
    ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
    assertThat(Schedule.isAligned(at("2026-01-01T00:00:00Z"), kathmandu, 30)).isFalse();
    assertThat(Schedule.isAligned(at("2026-01-01T00:15:00Z"), kathmandu, 30)).isTrue();
    // A stray second or nanosecond is never aligned.
    assertThat(Schedule.isAligned(at("2026-06-15T14:00:01Z"), NEW_YORK, 30)).isFalse();
    assertThat(Schedule.isAligned(at("2026-06-15T14:00:00.000000001Z"), NEW_YORK, 5)).isFalse();
    // 24-hour slots align at local midnight only: 04:00Z is 00:00 EDT.
    assertThat(Schedule.isAligned(at("2026-06-15T04:00:00Z"), NEW_YORK, 1440)).isTrue();
    assertThat(Schedule.isAligned(at("2026-06-15T00:00:00Z"), NEW_YORK, 1440)).isFalse();
  }

  @Test
  void nightShiftWindowsThatTouchAtMidnightMerge() {
    OpeningHours hours =
        OpeningHours.weekly(
            Map.of(
                DayOfWeek.MONDAY, List.of(new OpeningHours.DailyWindow(18 * 60, 1440)),
                DayOfWeek.TUESDAY, List.of(new OpeningHours.DailyWindow(0, 120))));
    List<Interval> open =
        Schedule.openIntervals(
            hours, NEW_YORK, interval("2026-06-15T00:00:00Z", "2026-06-17T12:00:00Z"));
    // Mon 18:00 EDT = 22:00Z to Tue 02:00 EDT = 06:00Z (next day): one stretch of 8 hours.
    assertThat(open).containsExactly(interval("2026-06-15T22:00:00Z", "2026-06-16T06:00:00Z"));
    assertThat(open.get(0).minutes()).isEqualTo(480);
    // A slot across local midnight (Mon 23:00 EDT to Tue 01:00 EDT) is open throughout...
    Interval acrossMidnight = interval("2026-06-16T03:00:00Z", "2026-06-16T05:00:00Z");
    assertThat(Schedule.isOpenThroughout(hours, NEW_YORK, acrossMidnight)).isTrue();
    // ...but not when Tuesday's early window is missing.
    assertThat(
            Schedule.isOpenThroughout(
                on(DayOfWeek.MONDAY, 18 * 60, 1440), NEW_YORK, acrossMidnight))
        .isFalse();
  }

  @Test
  void openIntervalsAreClippedToTheRange() {
    OpeningHours hours = on(DayOfWeek.MONDAY, 9 * 60, 17 * 60);
    // Mon 09:00-17:00 EDT = 13:00Z-21:00Z; the range only covers 15:00Z-23:00Z.
    assertThat(
            Schedule.openIntervals(
                hours, NEW_YORK, interval("2026-06-15T15:00:00Z", "2026-06-15T23:00:00Z")))
        .containsExactly(interval("2026-06-15T15:00:00Z", "2026-06-15T21:00:00Z"));
    // The same window in winter (EST) is 14:00Z-22:00Z.
    assertThat(
            Schedule.openIntervals(
                hours, NEW_YORK, interval("2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")))
        .containsExactly(interval("2026-01-05T14:00:00Z", "2026-01-05T22:00:00Z"));
    // Around the clock is the whole range.
    Interval range = interval("2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z");
    assertThat(Schedule.openIntervals(OpeningHours.AROUND_THE_CLOCK, NEW_YORK, range))
        .containsExactly(range);
  }

  @Test
  void nextAlignedFindsTheNextLocalBoundary() {
    // 10:07:30 EDT -> 10:30 EDT = 14:30Z.
    assertThat(Schedule.nextAligned(at("2026-06-15T14:07:30Z"), NEW_YORK, 30))
        .isEqualTo(at("2026-06-15T14:30:00Z"));
    // An aligned instant is its own next boundary; a nanosecond later is not.
    assertThat(Schedule.nextAligned(at("2026-06-15T14:00:00Z"), NEW_YORK, 30))
        .isEqualTo(at("2026-06-15T14:00:00Z"));
    assertThat(Schedule.nextAligned(at("2026-06-15T14:00:00.001Z"), NEW_YORK, 30))
        .isEqualTo(at("2026-06-15T14:30:00Z"));
    // Kathmandu 05:45 local (00:00Z) -> 06:00 local = 00:15Z.
    assertThat(Schedule.nextAligned(at("2026-01-01T00:00:00Z"), ZoneId.of("Asia/Kathmandu"), 30))
        .isEqualTo(at("2026-01-01T00:15:00Z"));
  }

  @Test
  void nextAlignedJumpsOverTheSpringForwardGap() {
    // 01:59 EST (06:59Z) -> the next half-hour boundary is 03:00 EDT = 07:00Z (02:00 and 02:30 do
    // not exist).
    assertThat(Schedule.nextAligned(at("2026-03-08T06:59:00Z"), NEW_YORK, 30))
        .isEqualTo(at("2026-03-08T07:00:00Z"));
    // 01:30 EST (06:30Z), hourly slots -> 03:00 EDT = 07:00Z.
    assertThat(Schedule.nextAligned(at("2026-03-08T06:30:00Z"), NEW_YORK, 60))
        .isEqualTo(at("2026-03-08T07:00:00Z"));
  }

  @Test
  void nextAlignedThroughTheRepeatedHour() {
    // 01:40 EDT (05:40Z), 30-minute slots -> the next boundary is 01:00 EST = 06:00Z (the clock
    // reads 01:00 again), not 02:00.
    assertThat(Schedule.nextAligned(at("2026-11-01T05:40:00Z"), NEW_YORK, 30))
        .isEqualTo(at("2026-11-01T06:00:00Z"));
  }

  /**
   * With 2-hour slots, the boundaries of the fall-back day are 00:00 EDT (04:00Z) and 02:00 EST
   * (07:00Z): three real hours apart, because 01:00-02:00 happens twice. Just after local midnight
   * the next boundary is therefore 07:00Z.
   */
  @Test
  void nextAlignedWithTwoHourSlotsAcrossTheRepeatedHour() {
    Instant next = Schedule.nextAligned(at("2026-11-01T04:00:30Z"), NEW_YORK, 120);
    assertThat(Schedule.isAligned(next, NEW_YORK, 120))
        .as("nextAligned returned %s", next)
        .isTrue();
    assertThat(next).isEqualTo(at("2026-11-01T07:00:00Z"));
  }

  @Test
  void berlinSpringForwardAndFallBack() {
    OpeningHours sunday = on(DayOfWeek.SUNDAY, 0, 1440);
    // 29 March: 00:00 CET = 28 March 23:00Z to 00:00 CEST on Monday = 29 March 22:00Z: 23 hours.
    List<Interval> spring =
        Schedule.openIntervals(
            sunday, BERLIN, interval("2026-03-27T00:00:00Z", "2026-03-31T00:00:00Z"));
    assertThat(spring).containsExactly(interval("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"));
    assertThat(spring.get(0).minutes()).isEqualTo(23 * 60);
    // 25 October: 00:00 CEST = 24 October 22:00Z to 00:00 CET on Monday = 25 October 23:00Z: 25
    // hours.
    List<Interval> autumn =
        Schedule.openIntervals(
            sunday, BERLIN, interval("2026-10-23T00:00:00Z", "2026-10-27T00:00:00Z"));
    assertThat(autumn).containsExactly(interval("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"));
    assertThat(autumn.get(0).minutes()).isEqualTo(25 * 60);
  }

  @Test
  void berlinGapWindowAndRepeatedHourWindow() {
    // 29 March 02:00-04:00: 02:00 does not exist, so it opens at the jump, 03:00 CEST = 01:00Z,
    // and closes at 04:00 CEST = 02:00Z: 60 real minutes.
    List<Interval> spring =
        Schedule.openIntervals(
            on(DayOfWeek.SUNDAY, 120, 240),
            BERLIN,
            interval("2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"));
    assertThat(spring).containsExactly(interval("2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"));
    assertThat(spring.get(0).minutes()).isEqualTo(60);
    // 25 October 02:00-03:00: from the first 02:00 (CEST, 00:00Z) to 03:00 CET (02:00Z): 120
    // minutes.
    List<Interval> autumn =
        Schedule.openIntervals(
            on(DayOfWeek.SUNDAY, 120, 180),
            BERLIN,
            interval("2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z"));
    assertThat(autumn).containsExactly(interval("2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z"));
    // Both 02:30s of 25 October (00:30Z and 01:30Z) are half-hour boundaries.
    assertThat(Schedule.isAligned(at("2026-10-25T00:30:00Z"), BERLIN, 30)).isTrue();
    assertThat(Schedule.isAligned(at("2026-10-25T01:30:00Z"), BERLIN, 30)).isTrue();
    // 01:30 CET (00:30Z on 29 March), hourly slots -> 03:00 CEST = 01:00Z.
    assertThat(Schedule.nextAligned(at("2026-03-29T00:30:00Z"), BERLIN, 60))
        .isEqualTo(at("2026-03-29T01:00:00Z"));
  }

  /**
   * Slot boundaries count minutes from local midnight, not within the hour: with 2-hour slots in
   * New York (EDT, UTC-4 in June), 14:00 local (18:00Z) is a boundary and 13:00 local (17:00Z) is
   * not.
   */
  @Test
  void slotsLongerThanAnHourAreAlignedFromLocalMidnight() {
    ZoneId newYork = ZoneId.of("America/New_York");
    assertThat(Schedule.isAligned(Instant.parse("2026-06-03T18:00:00Z"), newYork, 120)).isTrue();
    assertThat(Schedule.isAligned(Instant.parse("2026-06-03T17:00:00Z"), newYork, 120)).isFalse();
    assertThat(Schedule.isAligned(Instant.parse("2026-06-03T17:30:00Z"), newYork, 90))
        .isTrue(); // 13:30 = 810 = 9 x 90
    assertThat(Schedule.isAligned(Instant.parse("2026-06-03T18:00:00Z"), newYork, 90))
        .isFalse(); // 14:00 = 840
  }
}
