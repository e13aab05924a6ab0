package com.hearth.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The reply of a Pekko ask, for routes to chain on.
 *
 * <p>Pekko's Java asks answer with Scala's wrapper of a Scala future, which runs every {@code
 * thenApply}, {@code whenComplete} or {@code handle} asynchronously on the JDK's default executor.
 * With fewer than three cores that executor is no pool but a new thread per task: two threads
 * started and ended for every hold (measured with Java Flight Recorder's thread starts,
 * docs/performance.md, "This round: the request path"). Here the reply moves to {@code executor}
 * (the actor system's dispatcher) once, and what is chained on it runs there.
 */
final class AskReplies {

  private AskReplies() {}

  static <T> CompletableFuture<T> on(Executor executor, CompletionStage<T> reply) {
    CompletableFuture<T> moved = new CompletableFuture<>();
    reply.whenCompleteAsync(
        (value, failure) -> {
          if (failure != null) moved.completeExceptionally(failure);
          else moved.complete(value);
        },
        executor);
    return moved;
  }
}
