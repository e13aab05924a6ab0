package com.hearth.ocr.worker;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a worker reads: {@code concurrency} documents at once (each on a thread of its own), polling
 * the queue every {@code pollInterval} when idle; a document whose read failed for a reason that
 * may pass is retried after {@code retryBackoff}, doubled each time up to {@code maxBackoff}, and
 * after {@code maxAttempts} failures is UNREADABLE; a claim lasts {@code lease}, after which
 * another worker may take the document.
 */
public record OcrWorkerSettings(
    int concurrency,
    Duration pollInterval,
    int maxAttempts,
    Duration retryBackoff,
    Duration maxBackoff,
    Duration lease) {

  public OcrWorkerSettings {
    if (concurrency < 1)
      throw new IllegalArgumentException("hearth.ocr.concurrency must be at least 1");
    if (maxAttempts < 1)
      throw new IllegalArgumentException("hearth.ocr.max-attempts must be at least 1");
    if (pollInterval.isNegative() || pollInterval.isZero())
      throw new IllegalArgumentException("hearth.ocr.poll-interval must be positive");
    if (lease.compareTo(Duration.ofSeconds(10)) < 0)
      throw new IllegalArgumentException("hearth.ocr.lease must be at least 10s");
  }

  public static OcrWorkerSettings from(Config config) {
    Config c = config.getConfig("hearth.ocr");
    return new OcrWorkerSettings(
        c.getInt("concurrency"),
        c.getDuration("poll-interval"),
        c.getInt("max-attempts"),
        c.getDuration("retry-backoff"),
        c.getDuration("max-backoff"),
        c.getDuration("lease"));
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failures. */
  public Duration backoffAfter(int attempt) {
    Duration wait = retryBackoff;
    for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
