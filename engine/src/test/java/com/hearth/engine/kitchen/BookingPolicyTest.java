package com.hearth.engine.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.Interval;
import java.time.DayOfWeek;
import java.time.Instant;
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
    for (DayOfWeek day : DayOfWeek.values()) weekly.put(day, List.of(new OpeningHours.DailyWindow(6 * 60, 22 * 60)));
    return OpeningHours.weekly(weekly);
  }

  private static KitchenSettings settings(OpeningHours hours, List<Interval> blackouts) {
    return new KitchenSettings("Test kitchen", "1 Main St", "New York", NEW_YORK, "USD", 2500, 0, BookingRules.DEFAULTS, hours,
        blackouts);
  }

  private static final KitchenSettings KITCHEN = settings(sixToTen(), List.of(BLACKOUT));
  private static final KitchenSettings ALWAYS_OPEN = settings(OpeningHours.AROUND_THE_CLOCK, List.of());

  private static Interval slot(String start, String end) {
    return new Interval(Instant.parse(start), Instant.parse(end));
  }

  private static void assertBreaks(KitchenSettings settings, Interval slot, Instant now, RuleViolation rule) {
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
    assertBreaks(KITCHEN, slot("2026-06-01T10:00:00Z", "2026-06-01T11:00:00Z"), NOW, RuleViolation.IN_PAST);
  }

  @Test
  void theMostBasicProblemIsReportedFirst() {
    // In the past and misaligned and too short: the past wins.
    assertBreaks(KITCHEN, slot("2026-06-01T10:10:00Z", "2026-06-01T10:20:00Z"), NOW, RuleViolation.IN_PAST);
    // Misaligned and too short: misaligned wins.
    assertBreaks(KITCHEN, slot("2026-06-03T14:10:00Z", "2026-06-03T14:20:00Z"), NOW, RuleViolation.MISALIGNED);
  }

  @Test
  void misaligned() {
    // 10:15 EDT start.
    assertBreaks(KITCHEN, slot("2026-06-03T14:15:00Z", "2026-06-03T15:15:00Z"), NOW, RuleViolation.MISALIGNED);
    // Aligned start, 11:10 EDT end.
    assertBreaks(KITCHEN, slot("2026-06-03T14:00:00Z", "2026-06-03T15:10:00Z"), NOW, RuleViolation.MISALIGNED);
    // One second off.
    assertBreaks(KITCHEN, slot("2026-06-03T14:00:01Z", "2026-06-03T15:00:01Z"), NOW, RuleViolation.MISALIGNED);
  }

  @Test
  void tooShort() {
    assertBreaks(KITCHEN, slot("2026-06-03T14:00:00Z", "2026-06-03T14:30:00Z"), NOW, RuleViolation.TOO_SHORT);
    // Exactly the 60-minute minimum is fine.
    assertPasses(KITCHEN, slot("2026-06-03T14:00:00Z", "2026-06-03T15:00:00Z"), NOW);
  }

  @Test
  void tooLong() {
    // 06:00-18:30 EDT = 750 minutes > 720.
    assertBreaks(KITCHEN, slot("2026-06-03T10:00:00Z", "2026-06-03T22:30:00Z"), NOW, RuleViolation.TOO_LONG);
    // 06:00-18:00 EDT = exactly 720 minutes is fine.
    assertPasses(KITCHEN, slot("2026-06-03T10:00:00Z", "2026-06-03T22:00:00Z"), NOW);
  }

  @Test
  void tooSoon() {
    // 08:30 EDT, 30 minutes after now; one hour's notice is needed.
    assertBreaks(KITCHEN, slot("2026-06-01T12:30:00Z", "2026-06-01T13:30:00Z"), NOW, RuleViolation.TOO_SOON);
    // Exactly one hour ahead is fine.
    assertPasses(KITCHEN, slot("2026-06-01T13:00:00Z", "2026-06-01T14:00:00Z"), NOW);
  }

  @Test
  void beyondHorizon() {
    // now + 180 days = 2026-11-28T12:00Z (29 days left of June + 31 + 31 + 30 + 31 + 28 = 180) = 07:00 EST.
    assertPasses(KITCHEN, slot("2026-11-28T12:00:00Z", "2026-11-28T13:00:00Z"), NOW);
    // Half an hour later is past the horizon.
    assertBreaks(KITCHEN, slot("2026-11-28T12:30:00Z", "2026-11-28T13:30:00Z"), NOW, RuleViolation.BEYOND_HORIZON);
  }

  @Test
  void inBlackout() {
    // Blackout 14:00Z-18:00Z; 17:00Z-19:00Z overlaps its last hour.
    assertBreaks(KITCHEN, slot("2026-06-05T17:00:00Z", "2026-06-05T19:00:00Z"), NOW, RuleViolation.IN_BLACKOUT);
    // Starting when the blackout ends is fine (half-open intervals).
    assertPasses(KITCHEN, slot("2026-06-05T18:00:00Z", "2026-06-05T19:00:00Z"), NOW);
    assertPasses(KITCHEN, slot("2026-06-05T13:00:00Z", "2026-06-05T14:00:00Z"), NOW);
  }

  @Test
  void outsideOpeningHours() {
    // Tuesday 21:00-23:00 EDT: the kitchen closes at 22:00.
    assertBreaks(KITCHEN, slot("2026-06-03T01:00:00Z", "2026-06-03T03:00:00Z"), NOW, RuleViolation.OUTSIDE_OPENING_HOURS);
    // Wednesday 05:30-06:30 EDT: it opens at 06:00.
    assertBreaks(KITCHEN, slot("2026-06-03T09:30:00Z", "2026-06-03T10:30:00Z"), NOW, RuleViolation.OUTSIDE_OPENING_HOURS);
    // Wednesday 20:00-22:00 EDT ends exactly at closing time: fine.
    assertPasses(KITCHEN, slot("2026-06-04T00:00:00Z", "2026-06-04T02:00:00Z"), NOW);
  }

  @Test
  void slotAcrossTheSpringForwardGapIsMeasuredInRealMinutes() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    // 01:30 EST (06:30Z) to 03:30 EDT (07:30Z): the wall clock moves two hours, but only 60 real
    // minutes pass, which meets the 60-minute minimum.
    Interval acrossGap = slot("2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z");
    assertThat(acrossGap.minutes()).isEqualTo(60);
    assertPasses(ALWAYS_OPEN, acrossGap, now);
    // 01:30 EST to 03:00 EDT looks like 90 minutes on the wall but is 30 real minutes: too short.
    assertBreaks(ALWAYS_OPEN, slot("2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"), now, RuleViolation.TOO_SHORT);
  }

  /**
   * A slot starting at local 02:30 on 8 March cannot even be written down: slots are UTC instants,
   * and no instant reads 02:30 in New York that day (06:30Z is 01:30 EST, 07:00Z is already 03:00
   * EDT). So instead: a kitchen open 02:00-04:00 that Sunday is really open only 03:00-04:00 EDT.
   */
  @Test
  void kitchenOpenTwoToFourOnSpringForwardDayHasSixtyOpenMinutes() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    OpeningHours twoToFour = OpeningHours.weekly(Map.of(DayOfWeek.SUNDAY, List.of(new OpeningHours.DailyWindow(120, 240))));
    KitchenSettings kitchen = settings(twoToFour, List.of());
    List<Interval> open = Schedule.openIntervals(twoToFour, kitchen.zone(), slot("2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"));
    // 03:00 EDT = 07:00Z to 04:00 EDT = 08:00Z.
    assertThat(open).containsExactly(slot("2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"));
    assertThat(open.stream().mapToLong(Interval::minutes).sum()).isEqualTo(60);
    assertPasses(kitchen, slot("2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"), now);
    // Starting at 01:30 EST is before the kitchen opens.
    assertBreaks(kitchen, slot("2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"), now, RuleViolation.OUTSIDE_OPENING_HOURS);
  }

  @Test
  void theRepeatedHourIsBookableOnceForEachRealHour() {
    Instant now = Instant.parse("2026-10-25T12:00:00Z");
    // 01:00 EDT (05:00Z) to 01:00 EST (06:00Z): one real hour, both ends aligned.
    assertPasses(ALWAYS_OPEN, slot("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"), now);
    // 01:30 EDT (05:30Z) to 01:30 EST (06:30Z): also one real hour.
    assertPasses(ALWAYS_OPEN, slot("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"), now);
    // 01:00 EDT to 02:00 EST is 2 real hours although the wall clock moved one.
    assertThat(slot("2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z").minutes()).isEqualTo(120);
  }
}
