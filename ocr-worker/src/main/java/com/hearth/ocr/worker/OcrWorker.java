package com.hearth.ocr.worker;

import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.Extraction;
import com.hearth.ocr.UnreadableDocumentException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads queued documents with a {@link CertificateReader}, on threads of its own (never an
 * actor's): at most {@code concurrency} at once. It claims a document only when a thread is free,
 * so nothing is claimed that waits in memory. Outcomes are written back to the queue; whoever runs
 * the worker is told through {@code onFinished} (a node delivers them to the kitchens then).
 *
 * <p>A reader's {@link UnreadableDocumentException} ends the document as UNREADABLE with its reason
 * at once; any other failure is retried with backoff and ends as UNREADABLE after {@code
 * max-attempts}.
 */
public final class OcrWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OcrWorker.class);

  private final String workerId;
  private final DocumentJobs jobs;
  private final CertificateReader reader;
  private final OcrWorkerSettings settings;
  private final Clock clock;
  private final Runnable onFinished;
  private final Semaphore free;
  private final ExecutorService readers;
  private final ScheduledExecutorService poller;
  private final AtomicBoolean polling = new AtomicBoolean();
  private final AtomicInteger processed = new AtomicInteger();

  public OcrWorker(
      String workerId,
      DocumentJobs jobs,
      CertificateReader reader,
      OcrWorkerSettings settings,
      Clock clock,
      Runnable onFinished) {
    this.workerId = workerId;
    this.jobs = jobs;
    this.reader = reader;
    this.settings = settings;
    this.clock = clock;
    this.onFinished = onFinished;
    this.free = new Semaphore(settings.concurrency());
    AtomicInteger threads = new AtomicInteger();
    this.readers =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            r -> {
              Thread t = new Thread(r, "ocr-reader-" + workerId + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ocr-poller-" + workerId);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling the queue. */
  public OcrWorker start() {
    long every = settings.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
    log.info(
        "OCR worker {} started: {} at a time, polling every {} ms",
        workerId,
        settings.concurrency(),
        every);
    return this;
  }

  public String id() {
    return workerId;
  }

  /** Documents this worker has finished or put back for a retry. */
  public int processed() {
    return processed.get();
  }

  /** Claims documents while threads are free. */
  void poll() {
    if (!polling.compareAndSet(false, true)) return;
    try {
      while (free.tryAcquire()) {
        Optional<DocumentJobs.Job> job;
        try {
          job = jobs.claim(workerId, clock.instant(), settings.lease());
        } catch (RuntimeException e) {
          free.release();
          log.warn(
              "OCR worker {}: cannot claim a document ({}); trying again in {}",
              workerId,
              e.getMessage(),
              settings.pollInterval());
          return;
        }
        if (job.isEmpty()) {
          free.release();
          return;
        }
        DocumentJobs.Job claimed = job.get();
        readers.execute(
            () -> {
              try {
                process(claimed);
              } finally {
                free.release();
                poller.execute(this::poll);
              }
            });
      }
    } finally {
      polling.set(false);
    }
  }

  /** Reads one claimed document and records what came of it. Runs on a reader thread. */
  void process(DocumentJobs.Job job) {
    Outcome outcome;
    try {
      byte[] content = jobs.content(job.contentHash());
      Extraction extraction = reader.read(content, job.mediaType());
      outcome = Outcome.read(extraction, job.attempt());
    } catch (UnreadableDocumentException e) {
      outcome = Outcome.unreadable(e.getMessage(), job.attempt());
    } catch (Exception | LinkageError e) {
      String why =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      if (job.attempt() < settings.maxAttempts()) {
        var at = clock.instant().plus(settings.backoffAfter(job.attempt()));
        log.warn(
            "OCR worker {}: reading {} failed (attempt {} of {}), retrying at {}: {}",
            workerId,
            job.documentId(),
            job.attempt(),
            settings.maxAttempts(),
            at,
            why);
        record(() -> jobs.retryLater(job, workerId, at, why), job);
        return;
      }
      outcome =
          Outcome.unreadable("failed " + job.attempt() + " times; last: " + why, job.attempt());
    }
    Outcome finished = outcome;
    if (record(() -> jobs.finish(job, workerId, finished, clock.instant()), job)) onFinished.run();
  }

  private boolean record(java.util.function.BooleanSupplier write, DocumentJobs.Job job) {
    try {
      boolean held = write.getAsBoolean();
      processed.incrementAndGet();
      if (!held)
        log.info(
            "OCR worker {}: {} was withdrawn or taken over meanwhile; result dropped",
            workerId,
            job.documentId());
      return held;
    } catch (RuntimeException e) {
      log.warn(
          "OCR worker {}: cannot record the result for {} ({}); it is read again after its lease",
          workerId,
          job.documentId(),
          e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    readers.shutdown();
    try {
      if (!readers.awaitTermination(10, TimeUnit.SECONDS)) readers.shutdownNow();
    } catch (InterruptedException e) {
      readers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
