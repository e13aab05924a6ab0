package com.hearth.engine.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.quota.HoldQuota.Limits;
import com.hearth.engine.quota.HoldQuota.OpenHold;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldQuotaTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(10);

  private static OpenHold hold(String id, String kitchen, long minutes, Instant at) {
    return new OpenHold(id, kitchen, minutes, at.plus(TTL));
  }

  @Test
  void openHoldsAreCappedOverallAndTheRetryWaitsForTheEarliestToLapse() {
    HoldQuota quota = new HoldQuota(new Limits(3, 0, 0), List.of());
    assertThat(quota.reserve(hold("b1", "k1", 60, T0), T0)).isEmpty();
    assertThat(quota.reserve(hold("b2", "k2", 60, T0.plusSeconds(60)), T0.plusSeconds(60)))
        .isEmpty();
    assertThat(quota.reserve(hold("b3", "k3", 60, T0.plusSeconds(60)), T0.plusSeconds(60)))
        .isEmpty();
    var refused = quota.reserve(hold("b4", "k4", 60, T0.plusSeconds(120)), T0.plusSeconds(120));
    assertThat(refused).isPresent();
    assertThat(refused.get().detail()).contains("3 open holds");
    // b1 lapses at T0 + 10 min: 8 minutes from now.
    assertThat(refused.get().retryAfter()).isEqualTo(Duration.ofMinutes(8));
    assertThat(quota.reserve(hold("b4", "k4", 60, T0.plus(TTL)), T0.plus(TTL)))
        .as("b1 lapsed")
        .isEmpty();
  }

  @Test
  void perKitchenCapsCountOnlyThatKitchen() {
    HoldQuota quota = new HoldQuota(new Limits(0, 2, 0), List.of());
    assertThat(quota.reserve(hold("b1", "k1", 60, T0), T0)).isEmpty();
    assertThat(quota.reserve(hold("b2", "k1", 60, T0), T0)).isEmpty();
    assertThat(quota.reserve(hold("b3", "k1", 60, T0), T0))
        .get()
        .extracting(HoldQuota.Refusal::detail)
        .asString()
        .contains("in one kitchen");
    assertThat(quota.reserve(hold("b4", "k2", 60, T0), T0)).isEmpty();
  }

  @Test
  void heldMinutesPerKitchenAreCappedAndAReleaseFreesThem() {
    HoldQuota quota = new HoldQuota(new Limits(0, 0, 720), List.of());
    assertThat(quota.reserve(hold("b1", "k1", 600, T0), T0)).isEmpty();
    assertThat(quota.reserve(hold("b2", "k1", 120, T0), T0)).as("exactly 720").isEmpty();
    assertThat(quota.reserve(hold("b3", "k1", 30, T0), T0)).isPresent();
    quota.release("b2");
    assertThat(quota.reserve(hold("b3", "k1", 30, T0), T0)).isEmpty();
    assertThat(quota.reserve(hold("b4", "k2", 720, T0), T0)).as("another kitchen").isEmpty();
  }

  @Test
  void loadedHoldsCountAndAReservationIsIdempotentAndNoCapsMeansNoLimit() {
    HoldQuota quota = new HoldQuota(new Limits(1, 0, 0), List.of(hold("b1", "k1", 60, T0)));
    assertThat(quota.reserve(hold("b2", "k1", 60, T0), T0)).isPresent();
    assertThat(quota.reserve(hold("b1", "k1", 60, T0), T0)).as("the same booking again").isEmpty();
    assertThat(quota.openCount(T0.plus(TTL))).isZero();
    HoldQuota none = new HoldQuota(Limits.NONE, List.of());
    for (int i = 0; i < 1000; i++)
      assertThat(none.reserve(hold("b" + i, "k1", 720, T0), T0)).isEmpty();
  }
}
