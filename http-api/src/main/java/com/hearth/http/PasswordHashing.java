package com.hearth.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id password hashes (spring-security-crypto's encoder over BouncyCastle), computed on a few
 * threads of their own with a short queue: a hash costs tens of milliseconds of CPU and a few
 * megabytes, so it never runs on the actor or HTTP threads, and a flood of sign-ins waits in a
 * bounded queue or is refused ({@link Busy}) instead of piling up work and memory.
 */
final class PasswordHashing implements AutoCloseable {

  /** Argon2id's cost: memory in KiB and passes; OWASP's minimum is 19 MiB and 2 passes. */
  record Cost(int memoryKib, int iterations) {
    Cost {
      if (memoryKib < 8 || iterations < 1)
        throw new IllegalArgumentException("argon2 memory must be at least 8 KiB and passes 1");
    }
  }

  /** The hashing threads and their queue are full: answer 503, do not wait. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("password hashing is busy", null, false, false);
    }
  }

  private final Argon2PasswordEncoder encoder;
  private final ThreadPoolExecutor threads;

  /**
   * A hash of a random password made at start: an unknown e-mail is checked against it, so that it
   * costs the same time as a known one with a wrong password.
   */
  private final String dummyHash;

  PasswordHashing(Cost cost, int threadCount, int maxWaiting) {
    this.encoder = new Argon2PasswordEncoder(16, 32, 1, cost.memoryKib(), cost.iterations());
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            threadCount,
            threadCount,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(Math.max(1, maxWaiting)),
            r -> {
              Thread t = new Thread(r, "hearth-password-hash-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.threads.allowCoreThreadTimeOut(true);
    this.dummyHash = encoder.encode(java.util.UUID.randomUUID().toString());
  }

  /** The hash of {@code password}, to store. */
  CompletableFuture<String> hash(String password) {
    return submit(() -> encoder.encode(password));
  }

  /**
   * Whether {@code password} matches {@code storedHash}; with a null hash (no such account) the
   * password is checked against a dummy hash and the answer is false.
   */
  CompletableFuture<Boolean> matches(String password, String storedHash) {
    return submit(
        () -> {
          boolean matches = encoder.matches(password, storedHash == null ? dummyHash : storedHash);
          return matches && storedHash != null;
        });
  }

  private <T> CompletableFuture<T> submit(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, threads);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new Busy());
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
