package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Interval;
import com.hearth.engine.Rejection;
import com.hearth.engine.RuleViolation;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The booking rules, each broken by a minimal slot. The kitchen is in New York (EDT = UTC-4 in
 * summer, EST = UTC-5 in winter) with the default rules: 30-minute slots, 1 h to 12 h, 1 h notice,
 * 180 days ahead, no buffer. "Now" is Monday 2026-06-01 12:00Z = 08:00 EDT.
 */
class BookingPolicyTest {

  private static final String NEW_YORK = "America/New_York";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Interval BLACKOUT = slot("2026-06-05T14:00:00Z", "2026-06-05T18:00:00Z");

  /** Open every day 06:00-22:00 local, i.e. 10:00Z-02:00Z (next day) in summer. */
  private static OpeningHours sixToTen() {
    Map<DayOfWeek, List<OpeningHours.DailyWindow>> weekly = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek day : DayOfWeek.values())
      weekly.put(day, List.of(new OpeningHours.DailyWindow(6 * 60, 22 * 60)));
    return OpeningHours.weekly(weekly);
  }

  private static KitchenSettings settings(OpeningHours hours, List<Interval> blackouts) {
    return new KitchenSettings(
        "Test kitchen",
        "1 Main St",
        "New York",
        NEW_YORK,
        "USD",
        2500,
        0,
        BookingRules.DEFAULTS,
        hours,
        blackouts);
  }

  private static final KitchenSettings KITCHEN = settings(sixToTen(), List.of(BLACKOUT));
  private static final KitchenSettings ALWAYS_OPEN =
      settings(OpeningHours.AROUND_THE_CLOCK, List.of());

  private static Interval slot(String start, String end) {
    return new Interval(Instant.parse(start), Instant.parse(end));
  }

  private static void assertBreaks(
      KitchenSettings settings, Interval slot, Instant now, RuleViolation rule) {
    Optional<Rejection> rejection = BookingPolicy.check(settings, slot, now);
    assertThat(rejection).as("slot %s", slot).isPresent();
    assertThat(rejection.get().code()).isEqualTo(Rejection.Code.RULE_VIOLATION);
    assertThat(rejection.get().rule()).isEqualTo(rule);
    assertThat(rejection.get().detail()).isNotBlank();
  }

  private static void assertPasses(KitchenSettings settings, Interval slot, Instant now) {
    assertThat(BookingPolicy.check(settings, slot, now)).as("slot %s", slot).isEmpty();
  }

  @Test
  void aValidSlotPasses() {
    // Wednesday 10:00-12:00 EDT.
    assertPasses(KITCHEN, slot("2026-06-03T14:00:00Z", "2026-06-03T16:00:00Z"), NOW);
  }

  @Test
  void inPast() {
    // Monday 06:00-07:00 EDT, two hours before now.
    assertBreaks(
        KITCHEN, slot("2026-06-01T10:00:00Z", "2026-06-01T11:00:00Z"), NOW, RuleViolation.IN_PAST);
  }

  @Test
  void theMostBasicProblemIsReportedFirst() {
    // In the past and misaligned and too short: the past wins.
    assertBreaks(
        KITCHEN, slot("2026-06-01T10:10:00Z", "2026-06-01T10:20:00Z"), NOW, RuleViolation.IN_PAST);
    // Misaligned and too short: misaligned wins.
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T14:10:00Z", "2026-06-03T14:20:00Z"),
        NOW,
        RuleViolation.MISALIGNED);
  }

  @Test
  void misaligned() {
    // 10:15 EDT start.
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T14:15:00Z", "2026-06-03T15:15:00Z"),
        NOW,
        RuleViolation.MISALIGNED);
    // Aligned start, 11:10 EDT end.
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T14:00:00Z", "2026-06-03T15:10:00Z"),
        NOW,
        RuleViolation.MISALIGNED);
    // One second off.
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T14:00:01Z", "2026-06-03T15:00:01Z"),
        NOW,
        RuleViolation.MISALIGNED);
  }

  @Test
  void tooShort() {
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T14:00:00Z", "2026-06-03T14:30:00Z"),
        NOW,
        RuleViolation.TOO_SHORT);
    // Exactly the 60-minute minimum is fine.
    assertPasses(KITCHEN, slot("2026-06-03T14:00:00Z", "2026-06-03T15:00:00Z"), NOW);
  }

  @Test
  void tooLong() {
    // 06:00-18:30 EDT = 750 minutes > 720.
    assertBreaks(
        KITCHEN, slot("2026-06-03T10:00:00Z", "2026-06-03T22:30:00Z"), NOW, RuleViolation.TOO_LONG);
    // 06:00-18:00 EDT = exactly 720 minutes is fine.
    assertPasses(KITCHEN, slot("2026-06-03T10:00:00Z", "2026-06-03T22:00:00Z"), NOW);
  }

  @Test
  void tooSoon() {
    // 08:30 EDT, 30 minutes after now; one hour's notice is needed.
    assertBreaks(
        KITCHEN, slot("2026-06-01T12:30:00Z", "2026-06-01T13:30:00Z"), NOW, RuleViolation.TOO_SOON);
    // Exactly one hour ahead is fine.
    assertPasses(KITCHEN, slot("2026-06-01T13:00:00Z", "2026-06-01T14:00:00Z"), NOW);
  }

  @Test
  void beyondHorizon() {
    // now + 180 days = 2026-11-28T12:00Z (29 days left of June + 31 + 31 + 30 + 31 + 28 = 180) =
    // 07:00 EST.
    assertPasses(KITCHEN, slot("2026-11-28T12:00:00Z", "2026-11-28T13:00:00Z"), NOW);
    // Half an hour later is past the horizon.
    assertBreaks(
        KITCHEN,
        slot("2026-11-28T12:30:00Z", "2026-11-28T13:30:00Z"),
        NOW,
        RuleViolation.BEYOND_HORIZON);
  }

  @Test
  void inBlackout() {
    // Blackout 14:00Z-18:00Z; 17:00Z-19:00Z overlaps its last hour.
    assertBreaks(
        KITCHEN,
        slot("2026-06-05T17:00:00Z", "2026-06-05T19:00:00Z"),
        NOW,
        RuleViolation.IN_BLACKOUT);
    // Starting when the blackout ends is fine (half-open intervals).
    assertPasses(KITCHEN, slot("2026-06-05T18:00:00Z", "2026-06-05T19:00:00Z"), NOW);
    assertPasses(KITCHEN, slot("2026-06-05T13:00:00Z", "2026-06-05T14:00:00Z"), NOW);
  }

  @Test
  void outsideOpeningHours() {
    // Tuesday 21:00-23:00 EDT: the kitchen closes at 22:00.
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T01:00:00Z", "2026-06-03T03:00:00Z"),
        NOW,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    // Wednesday 05:30-06:30 EDT: it opens at 06:00.
    assertBreaks(
        KITCHEN,
        slot("2026-06-03T09:30:00Z", "2026-06-03T10:30:00Z"),
        NOW,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    // Wednesday 20:00-22:00 EDT ends exactly at closing time: fine.
    assertPasses(KITCHEN, slot("2026-06-04T00:00:00Z", "2026-06-04T02:00:00Z"), NOW);
  }

  @Test
  void slotAcrossTheSpringForwardGapIsMeasuredInRealMinutes() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    // 01:30 EST (06:30Z) to 03:30 EDT (07:30Z): the wall clock moves two hours, but only 60 real
    // minutes pass, which meets the 60-minute minimum.
    assertPasses(ALWAYS_OPEN, slot("2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"), now);
    // 01:30 EST to 03:00 EDT looks like 90 minutes on the wall but is 30 real minutes: too short.
    assertBreaks(
        ALWAYS_OPEN,
        slot("2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"),
        now,
        RuleViolation.TOO_SHORT);
  }

  /**
   * A slot starting at local 02:30 on 8 March cannot even be written down: slots are UTC instants,
   * and no instant reads 02:30 in New York that day (06:30Z is 01:30 EST, 07:00Z is already 03:00
   * EDT). So instead: a kitchen open 02:00-04:00 that Sunday is really open only 03:00-04:00 EDT.
   */
  @Test
  void kitchenOpenTwoToFourOnSpringForwardDayHasSixtyOpenMinutes() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    OpeningHours twoToFour =
        OpeningHours.weekly(
            Map.of(DayOfWeek.SUNDAY, List.of(new OpeningHours.DailyWindow(120, 240))));
    KitchenSettings kitchen = settings(twoToFour, List.of());
    List<Interval> open =
        Schedule.openIntervals(
            twoToFour, kitchen.zone(), slot("2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"));
    // 03:00 EDT = 07:00Z to 04:00 EDT = 08:00Z.
    assertThat(open).containsExactly(slot("2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"));
    assertThat(open.stream().mapToLong(Interval::minutes).sum()).isEqualTo(60);
    assertPasses(kitchen, slot("2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"), now);
    // Starting at 01:30 EST is before the kitchen opens.
    assertBreaks(
        kitchen,
        slot("2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
  }

  @Test
  void theRepeatedHourIsBookableOnceForEachRealHour() {
    Instant now = Instant.parse("2026-10-25T12:00:00Z");
    // 01:00 EDT (05:00Z) to 01:00 EST (06:00Z): one real hour, both ends aligned.
    assertPasses(ALWAYS_OPEN, slot("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"), now);
    // 01:30 EDT (05:30Z) to 01:30 EST (06:30Z): also one real hour.
    assertPasses(ALWAYS_OPEN, slot("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"), now);
    // 01:00 EDT to 02:00 EST is 2 real hours although the wall clock moved one: with a one-hour
    // maximum it is too long, and a one-hour booking of the wall clock's 01:00-02:00 does not fit.
    KitchenSettings oneHourAtMost =
        withRules(ALWAYS_OPEN, new BookingRules(30, 60, 60, 60, 180, 0));
    assertBreaks(
        oneHourAtMost,
        slot("2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"),
        now,
        RuleViolation.TOO_LONG);
    assertPasses(oneHourAtMost, slot("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"), now);
  }

  // ------------------------------------------------ opening hours across real clock changes

  /**
   * London, open 06:00-22:00 every day. British Summer Time starts on Sunday 2026-03-29 at 01:00Z
   * (01:00 GMT becomes 02:00 BST). On Saturday the 28th (GMT = UTC) the kitchen is open
   * 06:00Z-22:00Z; on Sunday the 29th (BST = UTC+1) 05:00Z-21:00Z.
   */
  @Test
  void londonOpeningHoursMoveAnHourEarlierInUtcWhenSummerTimeStarts() {
    KitchenSettings london = zoned("Europe/London", sixToTen());
    Instant now = Instant.parse("2026-03-20T12:00:00Z");
    // 05:00Z-06:00Z: 05:00-06:00 GMT on Saturday (closed), 06:00-07:00 BST on Sunday (open).
    assertBreaks(
        london,
        slot("2026-03-28T05:00:00Z", "2026-03-28T06:00:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    assertPasses(london, slot("2026-03-29T05:00:00Z", "2026-03-29T06:00:00Z"), now);
    // 21:00Z-22:00Z: 21:00-22:00 GMT on Saturday (open), 22:00-23:00 BST on Sunday (closed).
    assertPasses(london, slot("2026-03-28T21:00:00Z", "2026-03-28T22:00:00Z"), now);
    assertBreaks(
        london,
        slot("2026-03-29T21:00:00Z", "2026-03-29T22:00:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
  }

  /**
   * London again: summer time ends on Sunday 2026-10-25 at 01:00Z (02:00 BST becomes 01:00 GMT).
   * Saturday the 24th is open 05:00Z-21:00Z (BST), Sunday the 25th 06:00Z-22:00Z (GMT).
   */
  @Test
  void londonOpeningHoursMoveAnHourLaterInUtcWhenSummerTimeEnds() {
    KitchenSettings london = zoned("Europe/London", sixToTen());
    Instant now = Instant.parse("2026-10-20T12:00:00Z");
    assertPasses(london, slot("2026-10-24T05:00:00Z", "2026-10-24T06:00:00Z"), now);
    assertBreaks(
        london,
        slot("2026-10-25T05:00:00Z", "2026-10-25T06:00:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    assertBreaks(
        london,
        slot("2026-10-24T21:00:00Z", "2026-10-24T22:00:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    assertPasses(london, slot("2026-10-25T21:00:00Z", "2026-10-25T22:00:00Z"), now);
  }

  /**
   * New York, open all of Sunday only. The spring-forward Sunday 2026-03-08 runs from 00:00 EST
   * (05:00Z) to 00:00 EDT on Monday (04:00Z): 23 real hours. The fall-back Sunday 2026-11-01 runs
   * from 00:00 EDT (04:00Z) to 00:00 EST on Monday (05:00Z): 25 real hours.
   */
  @Test
  void aLocalDayLastsTwentyThreeOrTwentyFiveHoursOnTheDaysTheClocksChange() {
    OpeningHours sundays =
        OpeningHours.weekly(Map.of(DayOfWeek.SUNDAY, List.of(OpeningHours.DailyWindow.ALL_DAY)));
    ZoneId newYork = ZoneId.of(NEW_YORK);
    assertThat(
            Schedule.openIntervals(
                sundays, newYork, slot("2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")))
        .containsExactly(slot("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
    assertThat(
            Schedule.openIntervals(
                sundays, newYork, slot("2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z")))
        .containsExactly(slot("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"));

    // Bookable up to 14 days long: the whole of the fall-back Sunday is one 25-hour booking,
    // and a minute's worth more at either end is not open.
    KitchenSettings longStays =
        withRules(zoned(NEW_YORK, sundays), new BookingRules(30, 60, 14 * 24 * 60, 60, 180, 0));
    Instant now = Instant.parse("2026-10-20T12:00:00Z");
    assertPasses(longStays, slot("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"), now);
    assertBreaks(
        longStays,
        slot("2026-11-01T03:30:00Z", "2026-11-02T05:00:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    assertBreaks(
        longStays,
        slot("2026-11-01T04:00:00Z", "2026-11-02T05:30:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
  }

  /**
   * New York, open 01:30-03:00 on Sundays. On the fall-back Sunday 2026-11-01, 01:30 happens twice
   * (05:30Z in EDT, 06:30Z in EST); the kitchen opens at the first, and closes at 03:00 EST =
   * 08:00Z: two and a half real hours.
   */
  @Test
  void aWindowOpeningInTheRepeatedHourOpensAtItsFirstOccurrence() {
    OpeningHours lateNight =
        OpeningHours.weekly(
            Map.of(DayOfWeek.SUNDAY, List.of(new OpeningHours.DailyWindow(90, 180))));
    KitchenSettings kitchen = zoned(NEW_YORK, lateNight);
    Instant now = Instant.parse("2026-10-20T12:00:00Z");
    assertPasses(kitchen, slot("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"), now);
    assertPasses(kitchen, slot("2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"), now);
    assertBreaks(
        kitchen,
        slot("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    assertBreaks(
        kitchen,
        slot("2026-11-01T07:30:00Z", "2026-11-01T08:30:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    // A week later, no change: 01:30-03:00 EST = 06:30Z-08:00Z, 90 minutes.
    assertBreaks(
        kitchen,
        slot("2026-11-08T05:30:00Z", "2026-11-08T06:30:00Z"),
        now,
        RuleViolation.OUTSIDE_OPENING_HOURS);
    assertPasses(kitchen, slot("2026-11-08T06:30:00Z", "2026-11-08T08:00:00Z"), now);
  }

  /**
   * Slot boundaries are on the kitchen's local clock, which daylight saving can move by half an
   * hour: Lord Howe Island is UTC+10:30 in winter and UTC+11:00 in summer (from Sunday 2026-10-04,
   * 02:00 local). With hourly slots, 00:30Z is 11:00 in June (aligned) but 11:30 in December (not),
   * and 01:00Z is 11:30 in June (not) but 12:00 in December (aligned).
   */
  @Test
  void slotBoundariesFollowTheLocalClockThroughAHalfHourClockChange() {
    KitchenSettings lordHowe =
        withRules(
            zoned("Australia/Lord_Howe", OpeningHours.AROUND_THE_CLOCK),
            new BookingRules(60, 60, 720, 60, 400, 0));
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    assertPasses(lordHowe, slot("2026-06-10T00:30:00Z", "2026-06-10T01:30:00Z"), now);
    assertBreaks(
        lordHowe,
        slot("2026-06-10T01:00:00Z", "2026-06-10T02:00:00Z"),
        now,
        RuleViolation.MISALIGNED);
    assertPasses(lordHowe, slot("2026-12-10T01:00:00Z", "2026-12-10T02:00:00Z"), now);
    assertBreaks(
        lordHowe,
        slot("2026-12-10T00:30:00Z", "2026-12-10T01:30:00Z"),
        now,
        RuleViolation.MISALIGNED);
  }

  private static KitchenSettings zoned(String zone, OpeningHours hours) {
    return new KitchenSettings(
        "Test kitchen",
        "1 High St",
        "Somewhere",
        zone,
        "USD",
        2500,
        0,
        BookingRules.DEFAULTS,
        hours,
        List.of());
  }

  private static KitchenSettings withRules(KitchenSettings s, BookingRules rules) {
    return new KitchenSettings(
        s.name(),
        s.address(),
        s.city(),
        s.timeZone(),
        s.currency(),
        s.hourlyRateCents(),
        s.taxBps(),
        rules,
        s.openingHours(),
        s.blackouts());
  }
}
