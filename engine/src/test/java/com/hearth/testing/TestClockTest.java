package com.hearth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TestClockTest {

  private static final Instant T = Instant.parse("2027-03-14T06:59:00Z");

  @Test
  void aStoppedClockMovesOnlyWhenTold() {
    TestClock clock = TestClock.stoppedAt(T);
    assertThat(clock.instant()).isEqualTo(T);
    clock.advance(Duration.ofMinutes(2));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2027-03-14T07:01:00Z"));
    clock.set(T);
    assertThat(clock.instant()).isEqualTo(T);
  }

  @Test
  void aRunningClockStartsWhereItIsSetAndRunsOn() {
    TestClock clock = TestClock.runningFrom(T);
    Instant first = clock.instant();
    assertThat(first).isBetween(T, T.plusSeconds(60));
    clock.set(T.plus(Duration.ofDays(7)));
    assertThat(clock.instant())
        .isBetween(T.plus(Duration.ofDays(7)), T.plus(Duration.ofDays(7)).plusSeconds(60));
    long before = System.nanoTime();
    Instant a = clock.instant();
    while (System.nanoTime() - before < 2_000_000) Thread.onSpinWait();
    assertThat(clock.instant()).isAfter(a);
  }

  @Test
  void theSameClockSeenInAnotherZoneMovesWithIt() {
    TestClock clock = TestClock.stoppedAt(T);
    ZoneId newYork = ZoneId.of("America/New_York");
    // 06:59Z on 2027-03-14 is 01:59 EST, the last minute before New York springs forward.
    assertThat(LocalDate.now(clock.withZone(newYork))).isEqualTo(LocalDate.of(2027, 3, 14));
    clock.set(Instant.parse("2027-03-14T03:00:00Z")); // 22:00 EST the day before
    assertThat(LocalDate.now(clock.withZone(newYork))).isEqualTo(LocalDate.of(2027, 3, 13));
    assertThat(clock.withZone(newYork).instant()).isEqualTo(clock.instant());
  }
}
