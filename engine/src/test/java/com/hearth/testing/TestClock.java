package com.hearth.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock tests hand to the code under test and then set or move. Production code takes a {@link
 * Clock} wherever it reads the time, so a test decides what "now" is: a fixed day, a
 * daylight-saving transition, a week that has ended.
 *
 * <p>A <b>stopped</b> clock only moves when the test moves it: for entities and pure functions
 * driven message by message. A <b>running</b> clock starts at the instant given and then runs at
 * the pace of the real one, so a whole node keeps working on it (its timers and timeouts still see
 * time pass); a test can still jump it forward. Both are safe to read from any thread.
 */
public final class TestClock extends Clock {

  /**
   * Where the clock was set and, for a running one, the {@link System#nanoTime()} of that moment.
   */
  private record Setting(Instant at, long nanoTime) {}

  private final boolean running;
  private final ZoneId zone;
  private volatile Setting setting;

  private TestClock(boolean running, ZoneId zone, Setting setting) {
    this.running = running;
    this.zone = zone;
    this.setting = setting;
  }

  /** A clock that reads {@code start} until the test sets or advances it. */
  public static TestClock stoppedAt(Instant start) {
    return new TestClock(false, ZoneOffset.UTC, new Setting(start, 0));
  }

  /** A clock that reads {@code start} now and runs on from there at the real pace. */
  public static TestClock runningFrom(Instant start) {
    return new TestClock(true, ZoneOffset.UTC, new Setting(start, System.nanoTime()));
  }

  /** A running clock that starts at the real time: a node's clock when the date does not matter. */
  public static TestClock runningFromNow() {
    return runningFrom(Instant.now());
  }

  @Override
  public Instant instant() {
    Setting s = setting;
    return running ? s.at().plusNanos(System.nanoTime() - s.nanoTime()) : s.at();
  }

  /** Sets the clock to {@code to}; a running clock runs on from there. */
  public synchronized void set(Instant to) {
    setting = new Setting(to, running ? System.nanoTime() : 0);
  }

  /** Moves the clock forward (or, with a negative duration, back) by {@code by}. */
  public synchronized void advance(Duration by) {
    set(instant().plus(by));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same clock, seen in another zone: setting either moves both. */
  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(this.zone)) return this;
    TestClock source = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return source.withZone(other);
      }

      @Override
      public Instant instant() {
        return source.instant();
      }
    };
  }

  @Override
  public String toString() {
    return "TestClock[" + (running ? "running, " : "stopped, ") + instant() + "]";
  }
}
