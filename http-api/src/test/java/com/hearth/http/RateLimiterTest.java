package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicInteger members = new AtomicInteger(1);

  @Test
  void aBurstPassesThenTheRateAndTheWaitIsSaid() {
    RateLimiter limiter = new RateLimiter(2, 5, members::get, nanos::get);
    for (int i = 0; i < 5; i++) assertThat(limiter.take("renter-1")).as("burst " + i).isEmpty();
    // Empty: the next token comes in 1 / 2 s.
    assertThat(limiter.take("renter-1")).contains(Duration.ofMillis(500));
    assertThat(limiter.take("renter-2")).as("another key has its own bucket").isEmpty();
    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(limiter.take("renter-1")).isEmpty();
    assertThat(limiter.take("renter-1")).isPresent();
  }

  @Test
  void waitForSaysWhetherATokenIsLeftWithoutTakingOne() {
    RateLimiter limiter = new RateLimiter(1, 2, members::get, nanos::get);
    assertThat(limiter.waitFor("e-mail")).isEmpty();
    assertThat(limiter.take("e-mail")).isEmpty();
    assertThat(limiter.waitFor("e-mail")).isEmpty();
    assertThat(limiter.waitFor("e-mail")).isEmpty();
    assertThat(limiter.take("e-mail")).isEmpty();
    assertThat(limiter.waitFor("e-mail")).contains(java.time.Duration.ofSeconds(1));
    nanos.addAndGet(1_000_000_000L);
    assertThat(limiter.waitFor("e-mail")).isEmpty();
  }

  @Test
  void eachNodeAllowsItsShareOfTheClustersRate() {
    members.set(4);
    RateLimiter limiter = new RateLimiter(8, 20, members::get, nanos::get);
    // 20 / 4 = a burst of 5 on this node, then 8 / 4 = 2 a second.
    for (int i = 0; i < 5; i++) assertThat(limiter.take("a")).isEmpty();
    assertThat(limiter.take("a")).contains(Duration.ofMillis(500));
  }

  @Test
  void aRateOfZeroIsNoLimitAndKeysStayBounded() {
    RateLimiter off = new RateLimiter(0, 0, members::get, nanos::get);
    for (int i = 0; i < 10_000; i++) assertThat(off.take("a")).isEmpty();
    assertThat(off.keys()).isZero();
    RateLimiter limiter = new RateLimiter(1, 1, members::get, nanos::get);
    for (int i = 0; i < RateLimiter.MAX_KEYS + 100; i++) limiter.take("k" + i);
    assertThat(limiter.keys()).isLessThanOrEqualTo(RateLimiter.MAX_KEYS);
  }
}
