package com.hearth.loadtest.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreeIntervalsTest {

  private static Instant h(int hour) {
    return Instant.parse("2030-01-01T00:00:00Z").plusSeconds(3600L * hour);
  }

  @Test
  void theGapsBetweenBookingsClippedToTheRange() {
    List<Instant[]> busy = List.of(new Instant[] {h(-1), h(2)}, new Instant[] {h(5), h(6)}, new Instant[] {h(6), h(8)});
    List<Instant[]> free = BaselineStore.free(h(0), h(10), busy);
    assertThat(free).hasSize(2);
    assertThat(free.get(0)).containsExactly(h(2), h(5));
    assertThat(free.get(1)).containsExactly(h(8), h(10));
  }

  @Test
  void aBookingPastTheEndLeavesNothingAfterIt() {
    assertThat(BaselineStore.free(h(0), h(4), List.of(new Instant[] {h(3), h(9)})))
        .singleElement().satisfies(i -> assertThat(i).containsExactly(h(0), h(3)));
    assertThat(BaselineStore.free(h(0), h(4), List.of())).singleElement()
        .satisfies(i -> assertThat(i).containsExactly(h(0), h(4)));
  }
}
