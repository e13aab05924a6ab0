package com.hearth.http;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that this JVM stopped running for a while: frozen (SIGSTOP, a paused VM or container), or
 * a pause long enough for the others to think it gone. While such a node was stopped the rest of
 * the cluster may have downed it and started its kitchens elsewhere; when it runs again it still
 * believes it hosts them until it hears otherwise, and requests that waited in its socket buffers
 * would be applied there. So after a stall it refuses writes (and answers unready) for {@code
 * quiet}: long enough for its split-brain resolver and the others' gossip to tell it whether it is
 * still a member (it then stops if not).
 *
 * <p>A thread ticks every 100 ms. A gap between ticks over {@code threshold} is a stall; a tick
 * older than {@code threshold} at the moment of asking is one still in progress (or that just ended
 * and the thread has not run yet), which closes the race with a request read first.
 */
final class StallWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StallWatch.class);
  private static final long TICK_MILLIS = 100;

  private final long thresholdNanos;
  private final long quietNanos;
  private final Thread ticker;
  private volatile long lastTick = System.nanoTime();
  private volatile long quietUntil = lastTick;
  private volatile boolean running = true;

  StallWatch(Duration threshold, Duration quiet) {
    this.thresholdNanos = threshold.toNanos();
    this.quietNanos = quiet.toNanos();
    this.ticker = new Thread(this::tick, "hearth-stall-watch");
    ticker.setDaemon(true);
    ticker.start();
  }

  private void tick() {
    while (running) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long gap = now - lastTick;
      if (gap > thresholdNanos) {
        quietUntil = now + quietNanos;
        log.warn(
            "this node did not run for {} ms (frozen, paused or starved): it refuses writes and answers unready"
                + " for {} s while the cluster tells it whether it is still a member",
            gap / 1_000_000,
            quietNanos / 1_000_000_000);
      }
      lastTick = now;
    }
  }

  /**
   * Whether writes must be refused now: a stall is in progress, or ended less than {@code quiet}
   * ago.
   */
  boolean stalled() {
    long now = System.nanoTime();
    return now - lastTick > thresholdNanos || now - quietUntil < 0;
  }

  @Override
  public void close() {
    running = false;
    ticker.interrupt();
  }
}
