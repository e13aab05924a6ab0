package com.hearth.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateScaleTest {

  @Test
  void heapFromJcmdHeapInfo() {
    String g1 =
        "12345:\n garbage-first heap   total 1048576K, used 204800K [0x00000000c0000000, 0x0000000100000000)\n"
            + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n";
    assertThat(StateScale.heapKb(g1)).containsExactly(1048576, 204800);
    assertThatThrownBy(() -> StateScale.heapKb("12345:\nno such process"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rssFromProcStatus() {
    assertThat(
            StateScale.rssKb("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  512000 kB\nThreads:\t40\n"))
        .isEqualTo(512000);
  }

  @Test
  void percentilesOfSmallSamples() {
    assertThat(StateScale.pct(List.of(5L, 1L, 3L, 2L, 4L))).isEqualTo("3 / 5 / 5");
    assertThat(StateScale.pct(List.of())).isEqualTo("-");
  }
}
