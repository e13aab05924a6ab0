package com.hearth.http;

import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.worker.DocumentJobs;
import com.hearth.ocr.worker.OcrWorker;
import com.hearth.ocr.worker.OcrWorkerSettings;
import com.hearth.ocr.worker.Readers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth ocr-worker}: an OCR worker as a process of its own, beside the nodes, on their
 * database (the nodes' settings: HEARTH_DB_URL...). It joins no cluster: it claims documents from
 * the queue, reads them and writes the outcomes back; the nodes deliver them to the kitchens. Any
 * number may run on any number of machines. It stops on SIGTERM after the reads in progress.
 */
final class OcrWorkerProcess {

  private static final Logger log = LoggerFactory.getLogger(OcrWorkerProcess.class);

  static final String USAGE =
      """
             hearth ocr-worker                            read uploaded certificates beside the nodes, on their
                                                          PostgreSQL database (HEARTH_DB_URL, HEARTH_OCR_READER_CLASS)
      """;

  private OcrWorkerProcess() {}

  static int run() {
    Config config = ConfigFactory.load();
    NodeSettings settings = NodeSettings.from(config);
    Optional<CertificateReader> reader;
    OcrWorkerSettings workerSettings;
    try {
      reader = Readers.fromConfig(config);
      workerSettings = OcrWorkerSettings.from(config);
    } catch (RuntimeException e) {
      System.err.println("The OCR worker did not start: " + e.getMessage());
      return 1;
    }
    if (reader.isEmpty()) {
      System.err.println(
          "The OCR worker did not start: no reader configured; set HEARTH_OCR_READER_CLASS");
      return 1;
    }
    if (!settings.usesPostgres())
      log.warn(
          "no HEARTH_DB_URL: using the embedded H2 database in {}, which only one process can open; "
              + "a node running on it keeps this worker out (its own embedded worker reads the documents)",
          settings.dataDir());
    Database database = new Database(settings);
    try {
      database.migrate();
    } catch (RuntimeException e) {
      database.close();
      System.err.println(
          "The OCR worker did not start: the database is not reachable: " + e.getMessage());
      return 1;
    }
    OcrWorker worker =
        new OcrWorker(
                workerId(),
                new DocumentJobs(database.queryPool()),
                reader.get(),
                workerSettings,
                Clock.systemUTC(),
                () -> {})
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("OCR worker {} stopping after the reads in progress", worker.id());
                  worker.close();
                  database.close();
                  stopped.countDown();
                },
                "ocr-worker-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * host name and process id: unique among the workers of one database, and telling in its rows.
   */
  private static String workerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
