package com.hearth.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.ocr.CertificateGenerator.Degradation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scores the real reader (Tesseract included) against generated certificates whose fields are
 * known. Clean scans: every layout in PNG, TIFF and PDF. Degraded: rotated, noisy, blurred,
 * JPEG-compressed, low-resolution and photographed pages.
 */
class ReadingAccuracyTest {
  private static final LocalDate TODAY = LocalDate.of(2027, 1, 15);
  private static final int PER_LAYOUT_CLEAN = Integer.getInteger("hearth.ocr.clean-per-layout", 6);
  private static final int PER_LAYOUT_DEGRADED =
      Integer.getInteger("hearth.ocr.degraded-per-layout", 2);

  private static TesseractCertificateReader reader;
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    reader = new TesseractCertificateReader(TesseractCertificateReader.findTessdata(), 2);
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    reader.close();
  }

  @Test
  void cleanScansAreReadAlmostPerfectly() throws Exception {
    ReadingScore score =
        score(GeneratedCorpus.make(13, TODAY, PER_LAYOUT_CLEAN, List.of(Degradation.NONE)));
    assertThat(score.accuracy()).isGreaterThanOrEqualTo(0.98);
    assertThat(score.expiryConfidentWrongVerdict).isZero();
  }

  @Test
  void degradedScansAndPhotosAreMostlyRead() throws Exception {
    List<Degradation> degradations =
        List.of(
            Degradation.ROTATED,
            Degradation.NOISY,
            Degradation.BLURRED,
            Degradation.JPEG,
            Degradation.LOW_RESOLUTION,
            Degradation.PHOTO);
    ReadingScore score = score(GeneratedCorpus.make(29, TODAY, PER_LAYOUT_DEGRADED, degradations));
    assertThat(score.accuracy()).isGreaterThanOrEqualTo(0.90);
    assertThat(score.expiryConfidentWrongVerdict).isZero();
  }

  private static ReadingScore score(List<GeneratedCorpus.Document> documents) throws Exception {
    List<Future<Extraction>> results = new ArrayList<>();
    for (GeneratedCorpus.Document document : documents) {
      results.add(pool.submit(() -> reader.read(document.content(), document.mediaType())));
    }
    ReadingScore score = new ReadingScore();
    for (int i = 0; i < documents.size(); i++) {
      score.add(documents.get(i), results.get(i).get(), TODAY);
    }
    System.out.println(
        score.report(
            documents.get(0).degradation() == Degradation.NONE ? "clean" : "degraded",
            documents.size()));
    return score;
  }
}
