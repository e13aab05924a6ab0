package com.hearth.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a principal, a client address): {@code perSecond} tokens a second up to
 * {@code burst}, one per request. The rate is the cluster's: each node allows its share, the rate
 * divided by the number of Up members, so spreading requests over the nodes gains nothing behind a
 * balancer that spreads them evenly, and hammering one node gets less. In memory, per node; the
 * number of keys is bounded (full buckets, which carry no state worth keeping, are dropped first).
 */
final class RateLimiter {

  static final int MAX_KEYS = 100_000;

  private final double perSecond;
  private final double burst;
  private final IntSupplier members;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code perSecond} 0 turns the limit off. */
  RateLimiter(double perSecond, int burst, IntSupplier members, LongSupplier nanoTime) {
    if (perSecond < 0 || burst < 0)
      throw new IllegalArgumentException("rates and bursts are 0 (off) or positive");
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
    this.members = members;
    this.nanoTime = nanoTime;
  }

  boolean enabled() {
    return perSecond > 0;
  }

  /** Takes a token for {@code key}; empty when there was one, else how long until there is. */
  Optional<Duration> take(String key) {
    if (!enabled()) return Optional.empty();
    int n = Math.max(1, members.getAsInt());
    double rate = perSecond / n;
    double capacity = Math.max(1, burst / n);
    long now = nanoTime.getAsLong();
    if (buckets.size() >= MAX_KEYS && !buckets.containsKey(key)) sweep(now, rate, capacity);
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
    synchronized (bucket) {
      bucket.refill(now, rate, capacity);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return Optional.empty();
      }
      long waitNanos = (long) Math.ceil((1 - bucket.tokens) / rate * 1e9);
      return Optional.of(Duration.ofNanos(waitNanos));
    }
  }

  /**
   * How long until {@code key} has a token, without taking one; empty when it has one now. For
   * limits that count failures: check before the attempt, {@link #take} after a failed one.
   */
  Optional<Duration> waitFor(String key) {
    if (!enabled()) return Optional.empty();
    Bucket bucket = buckets.get(key);
    if (bucket == null) return Optional.empty();
    int n = Math.max(1, members.getAsInt());
    double rate = perSecond / n;
    double capacity = Math.max(1, burst / n);
    synchronized (bucket) {
      bucket.refill(nanoTime.getAsLong(), rate, capacity);
      if (bucket.tokens >= 1) return Optional.empty();
      return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / rate * 1e9)));
    }
  }

  private void sweep(long now, double rate, double capacity) {
    buckets
        .values()
        .removeIf(
            b -> {
              synchronized (b) {
                b.refill(now, rate, capacity);
                return b.tokens >= capacity;
              }
            });
    // Every key is busy: forget them all rather than grow without bound (they start full again).
    if (buckets.size() >= MAX_KEYS) buckets.clear();
  }

  int keys() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    void refill(long now, double rate, double capacity) {
      tokens = Math.min(capacity, tokens + (now - at) / 1e9 * rate);
      at = now;
    }
  }
}
