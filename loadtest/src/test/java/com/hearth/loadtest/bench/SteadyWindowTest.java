package com.hearth.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.hearth.loadtest.sim.Outcomes;
import com.hearth.loadtest.sim.Outcomes.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SteadyWindowTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 5_000 * S; // an arbitrary nanoTime origin

  /**
   * {@code n} answers of {@code status} sent evenly over [from, to) s, each answered 10 ms later.
   */
  private static void spread(List<Answer> into, int n, double from, double to, int status) {
    for (int i = 0; i < n; i++) {
      long sent = T0 + (long) ((from + (to - from) * i / n) * S);
      into.add(new Answer(sent, sent + S / 100, status));
    }
  }

  @Test
  void aStallAfterTheWindowDoesNotStretchTheCountingTime() {
    // Like the last run's EXCLUDE stampede: 5,000 decisions in the first 3 s of an 8-s phase, then
    // one insert sent at 2.9 s waits until 15 s and ends in a 500 (not a decision); its 63 blocked
    // neighbours, sent at 3 s, are answered 409 at 15 s.
    List<Answer> answers = new ArrayList<>();
    spread(answers, 5_000, 0, 3, 409);
    answers.add(new Answer(T0 + 29 * S / 10, T0 + 15 * S, 500));
    for (int i = 0; i < 63; i++) answers.add(new Answer(T0 + 3 * S, T0 + 15 * S, 409));

    SteadyWindow w =
        SteadyWindow.of(
            answers, Bench.counts("decisions (201+409)"), T0, T0 + S / 10, T0, T0 + 8 * S, 8);

    assertThat(w.windowOps()).isEqualTo(5_063);
    assertThat(w.perSecond()).isCloseTo(5_063 / 8.0, within(1e-9));
    // The old method divided by the 15 s from the first start to the last answer.
    assertThat(w.ranSeconds()).isCloseTo(15.0, within(1e-9));
    assertThat(w.asCountedPerSecond()).isCloseTo(5_063 / 15.0, within(1e-9));
    assertThat(w.overran()).isTrue();
  }

  @Test
  void requestsOfLateUsersSentAfterTheWindowAreNotCounted() {
    // Like the last run's EXCLUDE scenario a: 2,000 accepted holds a second for the 8-s window,
    // then 700 a second for 8 s more from users the injector started late (the last at 7.5 s).
    List<Answer> answers = new ArrayList<>();
    spread(answers, 16_000, 0, 8, 201);
    spread(answers, 5_600, 8.001, 16, 201);
    spread(answers, 100, 0, 8, 409); // refusals are not accepted holds

    SteadyWindow w =
        SteadyWindow.of(
            answers, Bench.counts("accepted holds"), T0, T0 + 75 * S / 10, T0, T0 + 8 * S, 8);

    assertThat(w.windowOps()).isEqualTo(16_000);
    assertThat(w.perSecond()).isCloseTo(2_000, within(1e-9));
    assertThat(w.allOps()).isEqualTo(21_600);
    // As counted: 21,600 over about 16 s, 1,350 a second; ran twice its duration.
    assertThat(w.asCountedPerSecond()).isCloseTo(21_600 / w.ranSeconds(), within(1e-9));
    assertThat(w.asCountedPerSecond()).isLessThan(1_400);
    assertThat(w.lastUserStartSeconds()).isCloseTo(7.5, within(1e-9));
    assertThat(w.overran()).isTrue();
  }

  @Test
  void aPhaseThatKeepsItsTimeCountsTheSameEitherWayAndIsNotFlagged() {
    List<Answer> answers = new ArrayList<>();
    spread(answers, 8_000, 0, 8, 201);

    SteadyWindow w =
        SteadyWindow.of(answers, Bench.counts("accepted holds"), T0, T0, T0, T0 + 8 * S, 8);

    assertThat(w.windowOps()).isEqualTo(8_000);
    assertThat(w.perSecond()).isCloseTo(1_000, within(1e-9));
    // As counted, the last answer 10 ms after the window: 8,000 / 8.009 s.
    assertThat(w.asCountedPerSecond()).isCloseTo(8_000 / 8.009, within(0.01));
    assertThat(w.ranSeconds()).isLessThan(8 * SteadyWindow.OVERRUN);
    assertThat(w.overran()).isFalse();
  }

  @Test
  void readsCountOperationsNotHolds() {
    List<Answer> answers =
        List.of(
            new Answer(T0, T0 + S / 100, Outcomes.OP),
            new Answer(T0 + S, T0 + S + 1, 201),
            new Answer(T0 + 9 * S, T0 + 9 * S + 1, Outcomes.OP));

    SteadyWindow w = SteadyWindow.of(answers, Bench.counts("reads"), T0, T0, T0, T0 + 8 * S, 8);

    assertThat(w.windowOps()).isEqualTo(1);
    assertThat(w.allOps()).isEqualTo(2);
  }

  @Test
  void aPhaseWithoutWindowOrUsersCountsNothing() {
    SteadyWindow w =
        SteadyWindow.of(
            List.of(), Bench.counts("accepted holds"), Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, 8);

    assertThat(w.perSecond()).isZero();
    assertThat(w.asCountedPerSecond()).isZero();
    assertThat(w.overran()).isFalse();
  }
}
