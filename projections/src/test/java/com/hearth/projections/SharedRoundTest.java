package com.hearth.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callers at the same time share a round, and no caller gets a round that began before it asked.
 * Rounds are held open by the test (each waits for a permit) and callers are seen queued before a
 * round is let go, so what overlaps is decided here, not by timing.
 */
class SharedRoundTest {

  private final ExecutorService callers = Executors.newCachedThreadPool();

  /** A computation that numbers its rounds and runs one only when the test lets it. */
  private static final class Gated implements Supplier<Integer> {
    final AtomicInteger started = new AtomicInteger();
    final BlockingQueue<Integer> entered = new LinkedBlockingQueue<>();
    final BlockingQueue<RuntimeException> permits = new LinkedBlockingQueue<>();

    @Override
    public Integer get() {
      int round = started.incrementAndGet();
      entered.add(round);
      try {
        RuntimeException outcome = permits.poll(20, TimeUnit.SECONDS);
        if (outcome == null) throw new IllegalStateException("the test never let round " + round);
        if (outcome != PASS) throw outcome;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return round;
    }

    int awaitEntered() throws InterruptedException {
      Integer round = entered.poll(20, TimeUnit.SECONDS);
      assertThat(round).as("a round started").isNotNull();
      return round;
    }
  }

  private static final RuntimeException PASS = new RuntimeException("pass");

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  private CompletableFuture<Integer> call(SharedRound<Integer> shared) {
    return CompletableFuture.supplyAsync(shared::get, callers);
  }

  /** Waits until {@code n} callers wait for the next round (they arrived while one ran). */
  private static void awaitQueued(SharedRound<Integer> shared, int n) {
    await().atMost(Duration.ofSeconds(20)).until(shared::queuedCallers, q -> q == n);
  }

  @Test
  void callersArrivingDuringARoundShareTheNextOneAndNotTheRunningOne() throws Exception {
    Gated gated = new Gated();
    SharedRound<Integer> shared = new SharedRound<>(gated);

    CompletableFuture<Integer> first = call(shared);
    assertThat(gated.awaitEntered()).isEqualTo(1);
    // Four callers arrive while round 1 runs: they must wait for round 2, begun after them.
    List<CompletableFuture<Integer>> during =
        List.of(0, 1, 2, 3).stream().map(i -> call(shared)).toList();
    awaitQueued(shared, 4);
    assertThat(gated.started.get()).isEqualTo(1);

    gated.permits.add(PASS);
    assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    // Round 2 starts once round 1 ends, for the four together.
    assertThat(gated.awaitEntered()).isEqualTo(2);
    gated.permits.add(PASS);
    for (CompletableFuture<Integer> f : during)
      assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(gated.started.get()).as("one round for the four callers").isEqualTo(2);
    assertThat(gated.entered).isEmpty();
  }

  @Test
  void aCallerArrivingOnceTheQueuedRoundRunsWaitsForTheRoundAfterIt() throws Exception {
    Gated gated = new Gated();
    SharedRound<Integer> shared = new SharedRound<>(gated);

    CompletableFuture<Integer> first = call(shared);
    gated.awaitEntered();
    CompletableFuture<Integer> second = call(shared);
    awaitQueued(shared, 1);
    gated.permits.add(PASS);
    assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(gated.awaitEntered()).isEqualTo(2);

    CompletableFuture<Integer> third = call(shared);
    awaitQueued(shared, 1);
    gated.permits.add(PASS);
    assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(gated.awaitEntered()).isEqualTo(3);
    gated.permits.add(PASS);
    assertThat(third.get(20, TimeUnit.SECONDS)).isEqualTo(3);
  }

  @Test
  void aFailedRoundFailsItsCallersAndTheNextRoundStartsAfresh() throws Exception {
    Gated gated = new Gated();
    SharedRound<Integer> shared = new SharedRound<>(gated);

    CompletableFuture<Integer> first = call(shared);
    gated.awaitEntered();
    List<CompletableFuture<Integer>> during =
        List.of(0, 1).stream().map(i -> call(shared)).toList();
    awaitQueued(shared, 2);
    gated.permits.add(PASS);
    assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    gated.awaitEntered();
    IllegalStateException down = new IllegalStateException("the database is down");
    gated.permits.add(down);
    for (CompletableFuture<Integer> f : during)
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).hasCause(down);

    gated.permits.add(PASS);
    assertThat(shared.get()).isEqualTo(3);
  }

  @Test
  void aLoneCallerRunsItsOwnRound() {
    AtomicInteger rounds = new AtomicInteger();
    SharedRound<Integer> shared = new SharedRound<>(rounds::incrementAndGet);
    assertThat(shared.get()).isEqualTo(1);
    assertThat(shared.get()).isEqualTo(2);
  }
}
