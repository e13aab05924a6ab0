package com.hearth.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the readiness checks until they first all pass, so that the start-up log says "ready" when
 * {@code /health/ready} answers 200, not merely when the node became an Up member (its shard
 * regions may not be registered yet, or the cluster may lack a majority). While they fail it says,
 * once, which checks it is still waiting for.
 */
final class FirstReady {

  private final Supplier<CompletionStage<Map<String, Boolean>>> checks;
  private final BiConsumer<Duration, Runnable> later;
  private final Duration every;
  private final Duration tellAfter;
  private final Consumer<List<String>> stillWaiting;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final long startedAt = System.nanoTime();
  private boolean told;

  private FirstReady(
      Supplier<CompletionStage<Map<String, Boolean>>> checks,
      BiConsumer<Duration, Runnable> later,
      Duration every,
      Duration tellAfter,
      Consumer<List<String>> stillWaiting) {
    this.checks = checks;
    this.later = later;
    this.every = every;
    this.tellAfter = tellAfter;
    this.stillWaiting = stillWaiting;
  }

  /**
   * Completes when {@code checks} first answers every check true, asking again {@code every} apart
   * (through {@code later}, which runs a task after a delay). If they still fail {@code tellAfter}
   * after the start, {@code stillWaiting} gets the failing checks' names, once. It completes
   * exceptionally if {@code later} refuses (the node is shutting down).
   */
  static CompletionStage<Void> await(
      Supplier<CompletionStage<Map<String, Boolean>>> checks,
      BiConsumer<Duration, Runnable> later,
      Duration every,
      Duration tellAfter,
      Consumer<List<String>> stillWaiting) {
    FirstReady watch = new FirstReady(checks, later, every, tellAfter, stillWaiting);
    watch.ask();
    return watch.ready;
  }

  private void ask() {
    checks
        .get()
        .whenComplete(
            (result, failure) -> {
              List<String> failing =
                  failure != null
                      ? List.of("checks failed: " + failure)
                      : result.entrySet().stream()
                          .filter(check -> !Boolean.TRUE.equals(check.getValue()))
                          .map(Map.Entry::getKey)
                          .toList();
              if (failing.isEmpty()) {
                ready.complete(null);
                return;
              }
              if (!told && System.nanoTime() - startedAt >= tellAfter.toNanos()) {
                told = true;
                stillWaiting.accept(failing);
              }
              try {
                later.accept(every, this::ask);
              } catch (RuntimeException shuttingDown) {
                ready.completeExceptionally(shuttingDown);
              }
            });
  }
}
