package com.hearth.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Keeps the JDK's default asynchronous executor a pool.
 *
 * <p>{@link CompletableFuture}'s asynchronous steps without an executor, and every step chained on
 * a Pekko ask's reply (Scala's wrapper runs them asynchronously), go to the common {@link
 * ForkJoinPool} only when its parallelism is above 1. The JDK sizes it at one less than the number
 * of cores, so on a 2-core machine it is 1 and each such step gets a new thread of its own: two
 * threads started and ended for every hold before {@link AskReplies} (docs/performance.md, "This
 * round: the request path"), and still one per step on the routes that chain on asks directly.
 * {@link #configure} raises it to at least 2 before anything loads those classes; {@code
 * -Djava.util.concurrent.ForkJoinPool.common.parallelism} given on the command line wins.
 */
final class CommonPool {

  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** To be called first in {@code main}, before any future or the common pool is used. */
  static void configure() {
    String chosen = parallelism(System.getProperty(PARALLELISM), availableCores());
    if (chosen != null) System.setProperty(PARALLELISM, chosen);
  }

  /** The parallelism to set, or null to leave the operator's (or the JDK's) choice alone. */
  static String parallelism(String given, int cores) {
    if (given != null && !given.isBlank()) return null;
    return cores >= 3 ? null : "2";
  }

  /** Whether asynchronous steps without an executor run on a pool rather than a thread each. */
  static boolean pooled() {
    return new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool;
  }

  private static int availableCores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
