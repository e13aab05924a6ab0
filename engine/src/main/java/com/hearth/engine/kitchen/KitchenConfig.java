package com.hearth.engine.kitchen;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Tunables of the kitchen entity, read from {@code hearth.kitchen} (see the engine's {@code
 * reference.conf} for defaults and their environment overrides).
 */
public record KitchenConfig(
    Duration holdTtl,
    int platformFeeBps,
    Duration retention,
    Duration idempotencyWindow,
    Duration passivateIdleAfter,
    int snapshotEvery,
    int maxAvailabilityDays) {

  public static KitchenConfig from(Config config) {
    Config c = config.getConfig("hearth.kitchen");
    KitchenConfig parsed =
        new KitchenConfig(
            c.getDuration("hold-ttl"),
            c.getInt("platform-fee-bps"),
            c.getDuration("retention"),
            c.getDuration("idempotency-window"),
            c.getDuration("passivate-idle-after"),
            c.getInt("snapshot-every"),
            c.getInt("max-availability-days"));
    parsed.check();
    return parsed;
  }

  private void check() {
    if (holdTtl.isNegative() || holdTtl.isZero())
      throw new IllegalArgumentException("hearth.kitchen.hold-ttl must be positive");
    if (platformFeeBps < 0 || platformFeeBps > 10_000)
      throw new IllegalArgumentException(
          "hearth.kitchen.platform-fee-bps must be between 0 and 10000");
    if (snapshotEvery < 1)
      throw new IllegalArgumentException("hearth.kitchen.snapshot-every must be positive");
  }
}
