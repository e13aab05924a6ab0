package com.hearth.loadtest.sim;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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

  private Outcomes() {}

  public static void reset() {
    HOLD_STATUSES.clear();
    ACCEPTED_IDS.clear();
    SLOTS.set(0);
    FIRST.set(Long.MAX_VALUE);
    LAST.set(Long.MIN_VALUE);
    OPS.set(0);
    LATENCIES.clear();
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
  }

  /** A hold's answer: its status and, for a 201, the new booking's id. */
  public static void hold(int status, String bookingId) {
    HOLD_STATUSES.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    if (status == 201 && bookingId != null) ACCEPTED_IDS.add(bookingId);
    finished();
  }

  /** Any other operation that counts (an availability read, a completed journey). */
  public static void op() {
    OPS.incrementAndGet();
    finished();
  }

  private static void finished() {
    LAST.accumulateAndGet(System.nanoTime(), Math::max);
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
