package com.hearth.loadtest.bench;

import com.hearth.loadtest.sim.Outcomes.Answer;
import java.util.List;
import java.util.function.Predicate;

/**
 * How a phase's rate is counted. The steady window is {@code --duration} seconds from the first
 * user's start (its ends are the instants of the CPU samples taken for it, see {@link
 * WindowSampler}); a counted answer is in it when its request was <em>sent</em> inside it, and the
 * rate is their number divided by the window's length. A target whose users start late, or that
 * stalls and answers the last requests long after the window, is therefore counted over the same
 * length of time as every other target. The old figure, "as counted", divided every counted answer
 * by the time from the first user's start to the last answer, which shrinks or stretches with the
 * target's own stalls; it is kept for the report, beside how long the phase actually ran.
 *
 * @param windowOps counted answers whose request was sent inside the window
 * @param windowSeconds the window's length
 * @param allOps every counted answer of the phase
 * @param ranSeconds from the first user's start to the last counted answer
 * @param lastUserStartSeconds when the last user started, after the first
 * @param nominalSeconds the phase's {@code --duration}
 */
public record SteadyWindow(
    long windowOps,
    double windowSeconds,
    long allOps,
    double ranSeconds,
    double lastUserStartSeconds,
    double nominalSeconds) {

  /** A phase that ran more than this share longer than its duration is flagged. */
  static final double OVERRUN = 1.25;

  /**
   * @param answers every answer of the phase, counted or not
   * @param counts which answers count as the scenario's operation
   * @param firstStart nanoTime of the first user's start
   * @param lastStart nanoTime of the last user's start
   * @param from nanoTime of the window's start
   * @param to nanoTime of the window's end
   */
  static SteadyWindow of(
      List<Answer> answers,
      Predicate<Answer> counts,
      long firstStart,
      long lastStart,
      long from,
      long to,
      double nominalSeconds) {
    long inWindow = 0;
    long all = 0;
    long last = Long.MIN_VALUE;
    for (Answer a : answers) {
      last = Math.max(last, a.answeredNanos());
      if (!counts.test(a)) continue;
      all++;
      if (a.sentNanos() >= from && a.sentNanos() <= to) inWindow++;
    }
    boolean started = firstStart != Long.MAX_VALUE;
    return new SteadyWindow(
        inWindow,
        to > from ? (to - from) / 1e9 : 0,
        all,
        started && last >= firstStart ? (last - firstStart) / 1e9 : 0,
        started && lastStart >= firstStart ? (lastStart - firstStart) / 1e9 : 0,
        nominalSeconds);
  }

  /** Counted answers per second of the steady window: the rate the ratios use. */
  public double perSecond() {
    return windowSeconds > 0 ? windowOps / windowSeconds : 0;
  }

  /** The old figure: every counted answer over the first user's start to the last answer. */
  public double asCountedPerSecond() {
    return ranSeconds > 0 ? allOps / ranSeconds : 0;
  }

  /** True when the phase ran more than 25 % longer than its duration. */
  public boolean overran() {
    return ranSeconds > OVERRUN * nominalSeconds;
  }
}
