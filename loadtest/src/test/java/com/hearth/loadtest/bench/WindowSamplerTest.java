package com.hearth.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.loadtest.sim.Outcomes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowSamplerTest {

  private final long pid = ProcessHandle.current().pid();

  @Test
  void samplesTheWindowFromTheFirstUsersStartForItsLength() throws Exception {
    Outcomes.reset();
    WindowSampler sampler = new WindowSampler(pid, Duration.ofMillis(300)).begin();
    Outcomes.started();
    long first = Outcomes.firstStartNanos();
    long spin = 0;
    // Spends some CPU inside the window, then waits for the phase's end as Bench does.
    while (System.nanoTime() - first < Duration.ofMillis(400).toNanos()) spin++;
    sampler.finish();

    assertThat(spin).isPositive();
    assertThat(sampler.start().atNanos()).isGreaterThanOrEqualTo(first);
    // The end sample is taken no sooner than the first start + 300 ms.
    assertThat(sampler.end().atNanos() - first)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(sampler.end().serviceMillis()).isGreaterThan(sampler.start().serviceMillis());
  }

  @Test
  void aPhaseEndingBeforeTheWindowEndsItThere() throws Exception {
    Outcomes.reset();
    WindowSampler sampler = new WindowSampler(pid, Duration.ofMinutes(10)).begin();
    Outcomes.started();
    long first = Outcomes.firstStartNanos();
    sampler.finish();

    assertThat(sampler.end().atNanos()).isGreaterThanOrEqualTo(sampler.start().atNanos());
    assertThat(sampler.end().atNanos() - first).isLessThan(Duration.ofMinutes(10).toNanos());
  }

  @Test
  void noUserNoWindow() throws Exception {
    Outcomes.reset();
    WindowSampler sampler = new WindowSampler(pid, Duration.ofSeconds(1)).begin();
    sampler.finish();

    assertThat(sampler.start()).isNull();
    assertThat(sampler.end()).isNull();
  }
}
