package com.hearth.ocr.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hearth.ocr.worker.testing.KnownFieldsReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two workers, as two processes on two machines would, on one PostgreSQL database and one queue of
 * 60 documents, each reading two at a time: every document is read exactly once and ends READ.
 */
class TwoWorkersOnePostgresTest {

  static final int DOCUMENTS = 60;

  @Test
  void noDocumentIsReadTwice() {
    try (QueueDatabase db = QueueDatabase.create(QueueDatabase.Backend.POSTGRES)) {
      Clock clock = Clock.systemUTC();
      for (int i = 0; i < DOCUMENTS; i++)
        db.queue(
            "doc_pair_" + i,
            KnownFieldsReader.certificate(
                "pair-" + i, Map.of("HOLDER_NAME", "Kitchen " + i + "|0.9")),
            clock.instant().minusSeconds(1));
      KnownFieldsReader reader = new KnownFieldsReader();
      OcrWorkerSettings settings =
          new OcrWorkerSettings(
              2,
              Duration.ofMillis(20),
              3,
              Duration.ofSeconds(10),
              Duration.ofSeconds(30),
              Duration.ofMinutes(5));
      DocumentJobs jobs = new DocumentJobs(db.dataSource());
      try (OcrWorker a = new OcrWorker("machine-a", jobs, reader, settings, clock, () -> {});
          OcrWorker b =
              new OcrWorker(
                  "machine-b",
                  new DocumentJobs(db.dataSource()),
                  reader,
                  settings,
                  clock,
                  () -> {})) {
        a.start();
        b.start();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    db.count("SELECT COUNT(*) FROM document_jobs WHERE state = 'READ'")
                        == DOCUMENTS);
        assertThat(reader.reads()).hasSize(DOCUMENTS);
        assertThat(reader.readTwice()).isEmpty();
        assertThat(a.processed() + b.processed()).isEqualTo(DOCUMENTS);
        assertThat(a.processed()).as("machine a read some").isPositive();
        assertThat(b.processed()).as("machine b read some").isPositive();
      }
    }
  }
}
