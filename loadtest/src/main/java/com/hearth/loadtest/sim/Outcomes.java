package com.hearth.loadtest.sim;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one simulation run counted, beside Gatling's own statistics: answers by status for the
 * holds, the ids of accepted bookings (for the none-lost check) and the measured window. Static,
 * because Gatling instantiates the simulation itself; {@code Bench} runs one simulation at a time
 * in its own JVM and reads it afterwards. {@link #reset()} before each run.
 */
public final class Outcomes {

  private static final Map<Integer, AtomicLong> HOLD_STATUSES = new ConcurrentHashMap<>();
  private static final Queue<String> ACCEPTED_IDS = new ConcurrentLinkedQueue<>();
  private static final AtomicLong SLOTS = new AtomicLong();
  private static final AtomicLong FIRST = new AtomicLong(Long.MAX_VALUE);
  private static final AtomicLong LAST = new AtomicLong(Long.MIN_VALUE);
  private static final AtomicLong OPS = new AtomicLong();
  private static final Queue<Long> LATENCIES = new ConcurrentLinkedQueue<>();
  private static final AtomicLong LAST_START = new AtomicLong(Long.MIN_VALUE);
  private static final Queue<Answer> ANSWERS = new ConcurrentLinkedQueue<>();
  private static volatile CountDownLatch firstStart = new CountDownLatch(1);

  /**
   * One counted answer: when its request was sent and when it was answered ({@link
   * System#nanoTime()}), and the hold's status ({@link #OP} for another operation).
   */
  public record Answer(long sentNanos, long answeredNanos, int status) {}

  /** The status of an {@link Answer} that is not a hold (an availability read, a journey). */
  public static final int OP = -1000;

  private Outcomes() {}

  public static void reset() {
    HOLD_STATUSES.clear();
    ACCEPTED_IDS.clear();
    SLOTS.set(0);
    FIRST.set(Long.MAX_VALUE);
    LAST.set(Long.MIN_VALUE);
    OPS.set(0);
    LATENCIES.clear();
    LAST_START.set(Long.MIN_VALUE);
    ANSWERS.clear();
    firstStart = new CountDownLatch(1);
  }

  /** The response time of one main request (a hold, or a read), in microseconds. */
  public static void latency(long micros) {
    LATENCIES.add(micros);
  }

  /** Every recorded response time in microseconds, sorted. */
  public static long[] latencies() {
    return LATENCIES.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** A number never handed out before in this run: the index of a distinct slot. */
  public static long nextSlot() {
    return SLOTS.getAndIncrement();
  }

  /** Marks the start of a user's measured work. */
  public static void started() {
    long now = System.nanoTime();
    FIRST.accumulateAndGet(now, Math::min);
    LAST_START.accumulateAndGet(now, Math::max);
    firstStart.countDown();
  }

  /** Waits at most {@code timeout} for the first user of the run to start; true once it has. */
  public static boolean awaitFirstStart(long timeout, TimeUnit unit) throws InterruptedException {
    return firstStart.await(timeout, unit);
  }

  /** {@link System#nanoTime()} of the first user's start (Long.MAX_VALUE before it). */
  public static long firstStartNanos() {
    return FIRST.get();
  }

  /** {@link System#nanoTime()} of the last user's start (Long.MIN_VALUE before any). */
  public static long lastStartNanos() {
    return LAST_START.get();
  }

  /** A hold's answer: its status, for a 201 the new booking's id, and when its request was sent. */
  public static void hold(int status, String bookingId, long sentNanos) {
    HOLD_STATUSES.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    if (status == 201 && bookingId != null) ACCEPTED_IDS.add(bookingId);
    finished(sentNanos, status);
  }

  /**
   * Any other operation that counts (an availability read, a completed journey), with when its
   * (first) request was sent.
   */
  public static void op(long sentNanos) {
    OPS.incrementAndGet();
    finished(sentNanos, OP);
  }

  private static void finished(long sentNanos, int status) {
    long now = System.nanoTime();
    LAST.accumulateAndGet(now, Math::max);
    ANSWERS.add(new Answer(sentNanos, now, status));
  }

  /** Every counted answer of the run, in no particular order. */
  public static List<Answer> answers() {
    return List.copyOf(ANSWERS);
  }

  public static Map<Integer, Long> holdStatuses() {
    Map<Integer, Long> out = new TreeMap<>();
    HOLD_STATUSES.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public static List<String> acceptedIds() {
    return List.copyOf(ACCEPTED_IDS);
  }

  public static long ops() {
    return OPS.get();
  }

  /** Seconds from the first user's start to the last counted answer (0 if nothing was counted). */
  public static double seconds() {
    long first = FIRST.get();
    long last = LAST.get();
    return first == Long.MAX_VALUE || last < first ? 0 : (last - first) / 1e9;
  }
}
