package com.hearth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Half-open {@code [start, end)} intervals; hours below are on 2026-06-15 UTC. */
class IntervalTest {

  private static Interval h(int startHour, int endHour) {
    Instant day = Instant.parse("2026-06-15T00:00:00Z");
    return new Interval(day.plus(Duration.ofHours(startHour)), day.plus(Duration.ofHours(endHour)));
  }

  @Test
  void rejectsEmptyAndBackwardIntervals() {
    Instant t = Instant.parse("2026-06-15T10:00:00Z");
    assertThatThrownBy(() -> new Interval(t, t)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Interval(t, t.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Interval(null, t)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void touchingIntervalsDoNotOverlap() {
    assertThat(h(1, 2).overlaps(h(2, 3))).isFalse();
    assertThat(h(2, 3).overlaps(h(1, 2))).isFalse();
    assertThat(h(1, 3).overlaps(h(2, 4))).isTrue();
    assertThat(h(1, 4).overlaps(h(2, 3))).isTrue();
    assertThat(h(1, 4).contains(h(1, 4))).isTrue();
    assertThat(h(1, 4).contains(h(3, 5))).isFalse();
  }

  @Test
  void widenAndClip() {
    assertThat(h(2, 3).widen(Duration.ofHours(1))).isEqualTo(h(1, 4));
    assertThat(h(2, 3).widen(Duration.ZERO)).isEqualTo(h(2, 3));
    assertThat(h(1, 5).clip(h(3, 8))).isEqualTo(h(3, 5));
    assertThat(h(1, 3).clip(h(3, 8))).isNull();
    assertThat(h(1, 3).minutes()).isEqualTo(120);
  }

  @Test
  void unionJoinsOverlappingAndTouchingIntervalsInAnyOrder() {
    assertThat(
            Interval.union(
                List.of(h(5, 6), h(1, 2), h(2, 3), h(8, 10), h(9, 11), h(12, 13), h(12, 14))))
        .containsExactly(h(1, 3), h(5, 6), h(8, 11), h(12, 14));
    // A nested interval does not shorten its container.
    assertThat(Interval.union(List.of(h(1, 10), h(2, 3)))).containsExactly(h(1, 10));
    assertThat(Interval.union(List.of())).isEmpty();
  }

  @Test
  void subtractCutsHoles() {
    // [0,10) - [2,3) - [5,7) = [0,2) [3,5) [7,10)
    assertThat(Interval.subtract(List.of(h(0, 10)), List.of(h(5, 7), h(2, 3))))
        .containsExactly(h(0, 2), h(3, 5), h(7, 10));
  }

  @Test
  void subtractAtTheEdgesAndOfEverything() {
    // A hole sticking out of the start, and one sticking out of the end.
    assertThat(Interval.subtract(List.of(h(2, 10)), List.of(h(0, 3), h(9, 12))))
        .containsExactly(h(3, 9));
    // Holes that only touch leave the interval whole.
    assertThat(Interval.subtract(List.of(h(2, 10)), List.of(h(0, 2), h(10, 12))))
        .containsExactly(h(2, 10));
    // A hole covering everything leaves nothing.
    assertThat(Interval.subtract(List.of(h(2, 10)), List.of(h(1, 11)))).isEmpty();
    // Overlapping holes behave as their union: [0,10) - [2,6) = [0,2) [6,10).
    assertThat(Interval.subtract(List.of(h(0, 10)), List.of(h(2, 5), h(4, 6))))
        .containsExactly(h(0, 2), h(6, 10));
    // Nothing taken.
    assertThat(Interval.subtract(List.of(h(0, 10)), List.of())).containsExactly(h(0, 10));
  }

  @Test
  void subtractOneHoleSpanningSeveralPieces() {
    // [0,4) [6,10) - [3,7) = [0,3) [7,10); pieces are unioned first.
    assertThat(Interval.subtract(List.of(h(6, 10), h(0, 4)), List.of(h(3, 7))))
        .containsExactly(h(0, 3), h(7, 10));
    assertThat(Interval.subtract(List.of(h(0, 2), h(2, 4)), List.of(h(1, 3))))
        .containsExactly(h(0, 1), h(3, 4));
  }
}
