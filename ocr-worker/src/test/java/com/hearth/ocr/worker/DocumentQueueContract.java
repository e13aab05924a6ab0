package com.hearth.ocr.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.worker.testing.KnownFieldsReader;
import com.hearth.testing.TestClock;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OCR queue and one worker's handling of a document, on each database: claims skip rows another
 * transaction holds, a lease hands a dead worker's document to another, transient failures are
 * retried with backoff and end UNREADABLE, and outcomes wait to be delivered. {@link #reader()} is
 * the seam: the default reads fields the test wrote into the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DocumentQueueContract {

  static final Instant T0 = Instant.parse("2027-02-01T10:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(1);

  QueueDatabase db;
  DocumentJobs jobs;
  final TestClock clock = TestClock.stoppedAt(T0);
  final OcrWorkerSettings settings =
      new OcrWorkerSettings(
          1, Duration.ofMillis(50), 3, Duration.ofSeconds(10), Duration.ofSeconds(30), LEASE);

  abstract QueueDatabase.Backend backend();

  /** The reader under test; a real one needs {@link #certificate} to make real certificates. */
  CertificateReader reader() {
    return new KnownFieldsReader();
  }

  byte[] certificate(String nonce, Map<String, String> fields) {
    return KnownFieldsReader.certificate(nonce, fields);
  }

  @BeforeAll
  void open() {
    db = QueueDatabase.create(backend());
    jobs = new DocumentJobs(db.dataSource());
  }

  @AfterAll
  void close() {
    db.close();
  }

  private String queued(String id, Map<String, String> fields) {
    db.queue(id, certificate(id, fields), clock.instant());
    return id;
  }

  @Test
  void aClaimSkipsTheRowAnotherTransactionHoldsInsteadOfWaiting() throws Exception {
    clock.set(T0.plus(Duration.ofDays(1)));
    String first = queued("doc_skip_1", Map.of());
    String second = queued("doc_skip_2", Map.of());
    try (Connection holder = db.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      try (var ps =
          holder.prepareStatement(
              "SELECT document_id FROM document_jobs WHERE document_id = ? FOR UPDATE")) {
        ps.setString(1, first);
        ps.executeQuery().close();
      }
      Optional<DocumentJobs.Job> claimed = jobs.claim("worker-b", clock.instant(), LEASE);
      assertThat(claimed).map(DocumentJobs.Job::documentId).contains(second);
      holder.rollback();
      jobs.finish(claimed.get(), "worker-b", Outcome.unreadable("done", 1), clock.instant());
    }
    DocumentJobs.Job firstClaim = jobs.claim("worker-b", clock.instant(), LEASE).orElseThrow();
    assertThat(firstClaim.documentId()).isEqualTo(first);
    assertThat(jobs.claim("worker-c", clock.instant(), LEASE)).isEmpty();
    jobs.finish(firstClaim, "worker-b", Outcome.unreadable("done", 1), clock.instant());
  }

  @Test
  void aLeaseThatRunsOutHandsTheDocumentToAnotherWorkerAndTheFirstLosesIt() {
    clock.set(T0.plus(Duration.ofDays(2)));
    String id = queued("doc_lease", Map.of("HOLDER_NAME", "Harbor Kitchens|0.9"));
    DocumentJobs.Job byA = jobs.claim("worker-a", clock.instant(), LEASE).orElseThrow();
    assertThat(byA.attempt()).isEqualTo(1);
    clock.advance(LEASE.minusSeconds(1));
    assertThat(jobs.claim("worker-b", clock.instant(), LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    DocumentJobs.Job byB = jobs.claim("worker-b", clock.instant(), LEASE).orElseThrow();
    assertThat(byB.documentId()).isEqualTo(id);
    assertThat(byB.attempt()).isEqualTo(2);
    assertThat(jobs.finish(byA, "worker-a", Outcome.unreadable("late", 1), clock.instant()))
        .isFalse();
    assertThat(jobs.finish(byB, "worker-b", Outcome.unreadable("on time", 2), clock.instant()))
        .isTrue();
    assertThat(Outcome.fromJson(db.outcome(id)).reason()).isEqualTo("on time");
  }

  @Test
  void aReadDocumentWaitsForDeliveryWithItsFields() {
    clock.set(T0.plus(Duration.ofDays(3)));
    String id =
        queued(
            "doc_read",
            Map.of("EXPIRY_DATE", "2028-01-31|0.97", "HOLDER_NAME", "Harbor Kitchens LLC|0.91"));
    OcrWorker worker = new OcrWorker("worker-a", jobs, reader(), settings, clock, () -> {});
    worker.process(jobs.claim("worker-a", clock.instant(), LEASE).orElseThrow());
    assertThat(db.state(id)).isEqualTo("READ");
    Optional<DocumentJobs.Finished> finished =
        jobs.undelivered(100).stream().filter(f -> f.documentId().equals(id)).findFirst();
    assertThat(finished).isPresent();
    Outcome outcome = finished.get().outcome();
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.READ);
    assertThat(outcome.fields())
        .containsEntry("EXPIRY_DATE", new Outcome.Field("2028-01-31", 0.97))
        .containsEntry("HOLDER_NAME", new Outcome.Field("Harbor Kitchens LLC", 0.91));
    jobs.delivered(id, clock.instant());
    assertThat(db.state(id)).isEqualTo("DELIVERED");
    assertThat(jobs.undelivered(100)).noneMatch(f -> f.documentId().equals(id));
  }

  @Test
  void aDocumentTheReaderCallsUnreadableEndsAtOnceWithTheReason() {
    clock.set(T0.plus(Duration.ofDays(4)));
    String id = queued("doc_unreadable", Map.of("UNREADABLE", "no text found on the page"));
    new OcrWorker("worker-a", jobs, reader(), settings, clock, () -> {})
        .process(jobs.claim("worker-a", clock.instant(), LEASE).orElseThrow());
    assertThat(db.state(id)).isEqualTo("UNREADABLE");
    Outcome outcome = Outcome.fromJson(db.outcome(id));
    assertThat(outcome.reason()).isEqualTo("no text found on the page");
    assertThat(outcome.attempts()).isEqualTo(1);
  }

  @Test
  void transientFailuresAreRetriedWithGrowingBackoffThenUnreadable() {
    clock.set(T0.plus(Duration.ofDays(5)));
    String id = queued("doc_flaky", Map.of("FAIL", "tesseract crashed"));
    OcrWorker worker = new OcrWorker("worker-a", jobs, reader(), settings, clock, () -> {});
    worker.process(jobs.claim("worker-a", clock.instant(), LEASE).orElseThrow());
    assertThat(db.state(id)).isEqualTo("PENDING");
    // Attempt 1 failed: due again after 10 s, not before.
    clock.advance(Duration.ofSeconds(9));
    assertThat(jobs.claim("worker-a", clock.instant(), LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    DocumentJobs.Job second = jobs.claim("worker-a", clock.instant(), LEASE).orElseThrow();
    assertThat(second.attempt()).isEqualTo(2);
    worker.process(second);
    // Attempt 2 failed: the wait doubles to 20 s.
    clock.advance(Duration.ofSeconds(19));
    assertThat(jobs.claim("worker-a", clock.instant(), LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    DocumentJobs.Job third = jobs.claim("worker-a", clock.instant(), LEASE).orElseThrow();
    assertThat(third.attempt()).isEqualTo(3);
    worker.process(third);
    assertThat(db.state(id)).isEqualTo("UNREADABLE");
    assertThat(Outcome.fromJson(db.outcome(id)).reason())
        .startsWith("failed 3 times; last: IllegalStateException: tesseract crashed");
  }

  @Test
  void backoffDoublesUpToItsCeiling() {
    assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.backoffAfter(3)).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.backoffAfter(10)).isEqualTo(Duration.ofSeconds(30));
  }
}
