package com.hearth.projections;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A blocking computation shared by the callers that ask for it at the same time, and never older
 * than the call: one round runs at a time; a caller that arrives while a round runs waits for the
 * next round, which starts when the running one ends and serves everyone who arrived meanwhile.
 *
 * <p>So under load the computation runs back to back at most once at a time instead of once per
 * caller, and each caller's answer was computed wholly after it asked (a result begun before the
 * call could miss a write the caller had just made). The first caller of a round runs it on its own
 * thread; the others block until it ends, so no thread is borrowed and no pool can be starved by
 * waiting on itself.
 *
 * <p>A round that fails fails every caller of that round with the same exception; the next round
 * starts afresh.
 */
final class SharedRound<T> {

  private final Supplier<T> compute;
  private Round<T> running;
  private Round<T> queued;
  private int queuedCallers;

  SharedRound(Supplier<T> compute) {
    this.compute = compute;
  }

  private static final class Round<T> {
    final CompletableFuture<T> result = new CompletableFuture<>();
  }

  T get() {
    Round<T> mine;
    Round<T> after = null;
    boolean leads;
    synchronized (this) {
      if (running == null) {
        running = mine = new Round<>();
        leads = true;
      } else if (queued == null) {
        after = running;
        queued = mine = new Round<>();
        queuedCallers = 1;
        leads = true;
      } else {
        mine = queued;
        queuedCallers++;
        leads = false;
      }
    }
    if (!leads) return join(mine);
    if (after != null) {
      // Whatever its outcome, the running round must end before this one starts; it promotes
      // this round to running when it does.
      after.result.handle((r, e) -> null).join();
    }
    T value = null;
    Throwable failure = null;
    try {
      value = compute.get();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    // The queued round becomes the running one before anyone learns that this one ended, so a
    // caller arriving from now on waits for the round after it, which starts only then.
    synchronized (this) {
      running = queued;
      queued = null;
      queuedCallers = 0;
    }
    if (failure == null) {
      mine.result.complete(value);
      return value;
    }
    mine.result.completeExceptionally(failure);
    if (failure instanceof RuntimeException r) throw r;
    throw (Error) failure;
  }

  /** The callers waiting for the next round (for tests: who arrived while a round ran). */
  synchronized int queuedCallers() {
    return queuedCallers;
  }

  private static <T> T join(Round<T> round) {
    try {
      return round.result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw e;
    }
  }
}
