package com.hearth.loadtest.bench;

import com.hearth.loadtest.sim.Outcomes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Takes the CPU samples of a phase's steady window: the first as soon as the first user starts, the
 * second {@code length} later (or when the phase ends, if sooner). Each sample's instant is the
 * midpoint of the time it took to read {@code /proc}; the window the answers are counted over is
 * the span between the two instants, so the CPU and the count cover the same time.
 */
final class WindowSampler {

  /** One sample: when ({@link System#nanoTime()}), the service's CPU ms, PostgreSQL's. */
  record Sample(long atNanos, long serviceMillis, ProcCpu.PgSample pg) {}

  private final long pid;
  private final long lengthNanos;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile Sample start;
  private volatile Sample end;

  WindowSampler(long pid, Duration length) {
    this.pid = pid;
    this.lengthNanos = length.toNanos();
    this.thread = new Thread(this::run, "window-sampler");
    this.thread.setDaemon(true);
  }

  /** Starts waiting for the first user; call after {@link Outcomes#reset()}. */
  WindowSampler begin() {
    thread.start();
    return this;
  }

  /** Called when the phase has ended: takes the end sample now if it was not taken yet. */
  void finish() throws InterruptedException {
    stopped.countDown();
    thread.join();
  }

  Sample start() {
    return start;
  }

  Sample end() {
    return end;
  }

  private void run() {
    try {
      while (!Outcomes.awaitFirstStart(50, TimeUnit.MILLISECONDS)) {
        if (stopped.getCount() == 0) return; // no user ever started
      }
      start = sample();
      long endAt = Outcomes.firstStartNanos() + lengthNanos;
      long left = endAt - System.nanoTime();
      // Waits for the window's end, or for the phase to end first.
      if (left > 0) stopped.await(left, TimeUnit.NANOSECONDS);
      end = sample();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Sample sample() {
    long before = System.nanoTime();
    long service = ProcCpu.processMillis(pid);
    ProcCpu.PgSample pg = ProcCpu.postgres();
    long after = System.nanoTime();
    return new Sample(before + (after - before) / 2, service, pg);
  }
}
