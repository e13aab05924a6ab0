package com.hearth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The start-up log's "ready" line waits for the readiness checks to pass, not for the node to be an
 * Up member: the checks are asked again until every one is true, and the failing ones are named
 * once. The delays are run by the test, one at a time, so nothing depends on timing.
 */
class FirstReadyTest {

  private final Deque<Runnable> scheduled = new ArrayDeque<>();
  private final List<Duration> delays = new ArrayList<>();
  private final BiConsumer<Duration, Runnable> later =
      (delay, task) -> {
        delays.add(delay);
        scheduled.add(task);
      };

  private static CompletionStage<Map<String, Boolean>> checks(boolean registered, boolean db) {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("cluster_member_up", true);
    checks.put("shard_regions_registered", registered);
    checks.put("database", db);
    return CompletableFuture.completedFuture(checks);
  }

  @Test
  void completesOnlyOnceEveryCheckPassesAndNamesTheFailingOnesOnce() {
    Deque<CompletionStage<Map<String, Boolean>>> answers =
        new ArrayDeque<>(
            List.of(
                checks(false, false),
                checks(false, true),
                checks(false, true),
                checks(true, true)));
    List<List<String>> told = new ArrayList<>();
    CompletableFuture<Void> ready =
        FirstReady.await(answers::poll, later, Duration.ofMillis(250), Duration.ZERO, told::add)
            .toCompletableFuture();

    for (int asked = 1; asked < 4; asked++) {
      assertThat(ready).as("after %d failing answers", asked).isNotDone();
      assertThat(scheduled).hasSize(1);
      scheduled.poll().run();
    }
    assertThat(ready).isCompleted();
    assertThat(answers).isEmpty();
    assertThat(scheduled).isEmpty();
    assertThat(delays).containsOnly(Duration.ofMillis(250)).hasSize(3);
    assertThat(told).containsExactly(List.of("shard_regions_registered", "database"));
  }

  @Test
  void saysNothingWhileTheWaitIsShort() {
    Deque<CompletionStage<Map<String, Boolean>>> answers =
        new ArrayDeque<>(List.of(checks(false, true), checks(true, true)));
    List<List<String>> told = new ArrayList<>();
    CompletableFuture<Void> ready =
        FirstReady.await(
                answers::poll, later, Duration.ofMillis(250), Duration.ofHours(1), told::add)
            .toCompletableFuture();
    scheduled.poll().run();
    assertThat(ready).isCompleted();
    assertThat(told).isEmpty();
  }

  @Test
  void aFailedCheckIsNotReadyAndShuttingDownEndsTheWait() {
    List<List<String>> told = new ArrayList<>();
    CompletableFuture<Void> ready =
        FirstReady.await(
                () -> CompletableFuture.failedFuture(new IllegalStateException("no database")),
                (delay, task) -> {
                  throw new IllegalStateException("cannot schedule: the scheduler is shut down");
                },
                Duration.ofMillis(250),
                Duration.ZERO,
                told::add)
            .toCompletableFuture();
    assertThatThrownBy(ready::get)
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("scheduler is shut down");
    assertThat(told).hasSize(1);
    assertThat(told.get(0).get(0)).contains("no database");
  }
}
