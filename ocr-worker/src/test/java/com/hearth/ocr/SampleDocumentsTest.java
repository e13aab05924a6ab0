package com.hearth.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.compliance.DocumentType;
import com.hearth.ocr.CertificateGenerator.DateStyle;
import com.hearth.ocr.CertificateGenerator.Degradation;
import com.hearth.ocr.CertificateGenerator.Layout;
import com.hearth.ocr.CertificateGenerator.Style;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample certificates of the quick start ({@code docs/samples/}), for the kitchen of the
 * README's walkthrough: they must read back as written. Regenerate them (after changing the
 * generator) with
 *
 * <pre>
 * mvn -B -q -pl ocr-worker -am test -Dtest=SampleDocumentsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dhearth.ocr.write-samples=true
 * </pre>
 */
class SampleDocumentsTest {
  static final Path SAMPLES = Path.of("..", "docs", "samples");
  private static final String HOLDER = "Harbor Street Commissary LLC";
  private static final String STREET = "12 Harbor Street";
  private static final String CITY = "Brooklyn, NY 11201";

  record Sample(
      String file,
      String mediaType,
      CertificateTruth truth,
      Style style,
      Degradation degradation) {}

  static final List<Sample> SAMPLE_LIST =
      List.of(
          new Sample(
              "health-permit.png",
              "image/png",
              new CertificateTruth(
                  DocumentType.HEALTH_PERMIT,
                  HOLDER,
                  "HP-2026-004512",
                  "Brooklyn Department of Public Health",
                  LocalDate.of(2026, 9, 14),
                  LocalDate.of(2028, 9, 13),
                  STREET,
                  CITY),
              new Style(Layout.LETTER, "SansSerif", 30, DateStyle.LONG_MONTH_FIRST, 1),
              Degradation.NONE),
          new Sample(
              "business-licence.pdf",
              "application/pdf",
              new CertificateTruth(
                  DocumentType.BUSINESS_LICENCE,
                  HOLDER,
                  "BL-77821-A",
                  "City of New York Business Licensing Office",
                  LocalDate.of(2026, 3, 16),
                  LocalDate.of(2029, 3, 15),
                  STREET,
                  CITY),
              new Style(Layout.TABLE, "Serif", 30, DateStyle.US_NUMERIC, 2),
              Degradation.NONE),
          new Sample(
              "liability-insurance-photo.jpg",
              "image/jpeg",
              new CertificateTruth(
                  DocumentType.LIABILITY_INSURANCE,
                  HOLDER,
                  "CGL-5530871",
                  "Hartwell Mutual Insurance Company",
                  LocalDate.of(2026, 7, 1),
                  LocalDate.of(2028, 7, 1),
                  STREET,
                  CITY),
              new Style(Layout.FORM, "SansSerif", 31, DateStyle.ISO, 3),
              Degradation.PHOTO),
          new Sample(
              "food-handler-certificate.png",
              "image/png",
              new CertificateTruth(
                  DocumentType.FOOD_HANDLER_CERTIFICATE,
                  "Hana Host",
                  "FH-2026-18830",
                  "National Food Safety Institute",
                  LocalDate.of(2026, 5, 20),
                  LocalDate.of(2029, 5, 20),
                  null,
                  null),
              new Style(Layout.PROSE, "Serif", 30, DateStyle.LONG_DAY_FIRST, 4),
              Degradation.ROTATED),
          new Sample(
              "fire-inspection-expired.png",
              "image/png",
              new CertificateTruth(
                  DocumentType.FIRE_INSPECTION,
                  HOLDER,
                  "FI-2025-3307",
                  "Brooklyn Fire Department",
                  LocalDate.of(2025, 6, 1),
                  LocalDate.of(2026, 5, 31),
                  STREET,
                  CITY),
              new Style(Layout.LETTER, "Monospaced", 28, DateStyle.ABBREVIATED, 5),
              Degradation.NONE));

  private static TesseractCertificateReader reader;

  @BeforeAll
  static void start() throws IOException {
    if (Boolean.getBoolean("hearth.ocr.write-samples")) {
      write();
    }
    reader = new TesseractCertificateReader(TesseractCertificateReader.findTessdata(), 1);
  }

  @AfterAll
  static void stop() {
    reader.close();
  }

  static void write() throws IOException {
    Files.createDirectories(SAMPLES);
    for (Sample sample : SAMPLE_LIST) {
      BufferedImage page = CertificateGenerator.render(sample.truth(), sample.style());
      BufferedImage degraded =
          CertificateGenerator.degrade(
              page, sample.degradation(), new Random(sample.style().seed()));
      byte[] bytes =
          switch (sample.mediaType()) {
            case "image/jpeg" ->
                CertificateGenerator.jpeg(CertificateGenerator.scale(degraded, 0.8), 0.45f);
            case "application/pdf" -> CertificateGenerator.pdf(List.of(degraded), true);
            default -> CertificateGenerator.png(Preprocessor.toGray(degraded));
          };
      Files.write(SAMPLES.resolve(sample.file()), bytes);
    }
  }

  @Test
  void everySampleReadsBackAsWritten() throws Exception {
    for (Sample sample : SAMPLE_LIST) {
      byte[] content = Files.readAllBytes(SAMPLES.resolve(sample.file()));
      assertThat(content.length).as(sample.file()).isLessThan(150 * 1024);
      Extraction extraction = reader.read(content, sample.mediaType());
      for (Map.Entry<CertificateField, String> expected : sample.truth().expected().entrySet()) {
        ExtractedField read = extraction.fields().get(expected.getKey());
        assertThat(read).as(sample.file() + " " + expected.getKey()).isNotNull();
        assertThat(CertificateTruth.matches(expected.getKey(), expected.getValue(), read.value()))
            .as(
                sample.file()
                    + " "
                    + expected.getKey()
                    + ": read '"
                    + read.value()
                    + "', expected '"
                    + expected.getValue()
                    + "'")
            .isTrue();
      }
      assertThat(extraction.pages()).isEqualTo(1);
    }
  }
}
