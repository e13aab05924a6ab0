package com.hearth.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreeIntervalsTest {

  private static Instant h(int hour) {
    return Instant.parse("2030-01-01T00:00:00Z").plusSeconds(3600L * hour);
  }

  private static List<String> spans(List<Instant[]> intervals) {
    return intervals.stream().map(i -> i[0] + "/" + i[1]).toList();
  }

  @Test
  void theGapsBetweenBookingsClippedToTheRange() {
    List<Instant[]> busy =
        List.of(
            new Instant[] {h(-1), h(2)}, new Instant[] {h(5), h(6)}, new Instant[] {h(6), h(8)});
    assertThat(spans(BaselineStore.free(h(0), h(10), busy)))
        .containsExactly(h(2) + "/" + h(5), h(8) + "/" + h(10));
  }

  @Test
  void aBookingPastTheEndLeavesNothingAfterIt() {
    assertThat(
            spans(BaselineStore.free(h(0), h(4), List.<Instant[]>of(new Instant[] {h(3), h(9)}))))
        .containsExactly(h(0) + "/" + h(3));
    assertThat(spans(BaselineStore.free(h(0), h(4), List.of()))).containsExactly(h(0) + "/" + h(4));
  }
}
