package com.hearth.http;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Whether a kitchen or a payment named in a request exists, asked before its sharded entity is
 * started (docs/security.md, "Made-up ids"). Sharding remembers every entity it starts (a journal
 * record) and keeps it in memory until it passivates, so a made-up but well-formed id must never
 * reach a shard region.
 *
 * <p>An entity exists once its first event is in the journal: that write happens before the reply
 * that names the new kitchen (or payment), and every node reads the same journal, so a request on
 * any node right after the create finds it, with no lag to wait for (the read tables would lag).
 * Known ids are kept in memory, so a kitchen's requests after the first on a node cost no database
 * read; an unknown id costs one primary-key lookup on the query pool (never on an actor thread),
 * nothing persistent and no memory. Unknown answers are not cached: an id can be created a moment
 * later (a host's idempotent create names its kitchen in advance).
 *
 * <p>Memory is bounded: two generations of at most {@code capacity / 2} ids each; when the newer is
 * full it becomes the older and the oldest is dropped (ids in use are promoted on every hit, so
 * what is dropped is what was not asked for during a whole generation).
 */
final class KnownEntities {

  static final int DEFAULT_CAPACITY = 200_000;

  private final Predicate<String> journalHas;
  private final Executor jdbc;
  private final int generation;
  private volatile Set<String> current = ConcurrentHashMap.newKeySet();
  private volatile Set<String> previous = ConcurrentHashMap.newKeySet();

  /**
   * {@code journalHas}: whether the journal holds an event of that persistence id (blocking, run on
   * {@code jdbc}).
   */
  KnownEntities(Predicate<String> journalHas, Executor jdbc, int capacity) {
    this.journalHas = journalHas;
    this.jdbc = jdbc;
    this.generation = Math.max(1, capacity / 2);
  }

  /**
   * Whether the entity of this persistence id ({@code Kitchen|<id>}, {@code Payment|<id>}) exists;
   * fails with {@link Unavailable} when the journal cannot be read.
   */
  CompletionStage<Boolean> exists(String persistenceId) {
    if (cached(persistenceId)) return CompletableFuture.completedFuture(true);
    return CompletableFuture.supplyAsync(
        () -> {
          boolean found;
          try {
            found = journalHas.test(persistenceId);
          } catch (RuntimeException e) {
            throw new Unavailable(e);
          }
          if (found) remember(persistenceId);
          return found;
        },
        jdbc);
  }

  /** The id names no entity: answered 404, and nothing was started. */
  static final class Unknown extends RuntimeException {
    Unknown(String persistenceId) {
      super("no entity " + persistenceId, null, false, false);
    }
  }

  /** The journal could not be asked (the database is down): answered 503. */
  static final class Unavailable extends RuntimeException {
    Unavailable(Throwable cause) {
      super("cannot tell whether the entity exists: " + cause.getMessage(), cause);
    }
  }

  static String kitchen(String kitchenId) {
    return "Kitchen|" + kitchenId;
  }

  static String payment(String bookingId) {
    return "Payment|" + bookingId;
  }

  /** This node just created it (its first event is persisted): no lookup needed. */
  void remember(String persistenceId) {
    Set<String> now = current;
    now.add(persistenceId);
    if (now.size() > generation) {
      synchronized (this) {
        if (current == now) {
          previous = now;
          current = ConcurrentHashMap.newKeySet();
        }
      }
    }
  }

  private boolean cached(String persistenceId) {
    if (current.contains(persistenceId)) return true;
    if (previous.contains(persistenceId)) {
      remember(persistenceId);
      return true;
    }
    return false;
  }

  /** Ids held in memory (for tests and metrics). */
  int size() {
    return current.size() + previous.size();
  }
}
