package com.hearth.ocr;

import com.hearth.ocr.CertificateGenerator.Degradation;
import com.hearth.ocr.CertificateGenerator.Layout;
import com.hearth.ocr.CertificateGenerator.Style;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded set of generated documents: their bytes, media type, how they were made, and the truth.
 */
final class GeneratedCorpus {
  record Document(
      String name,
      byte[] content,
      String mediaType,
      CertificateTruth truth,
      Style style,
      Degradation degradation) {}

  private GeneratedCorpus() {}

  /**
   * {@code perLayout} documents per layout for each degradation given, cycling through the
   * encodings a scanner produces (PNG, TIFF, PDF) for clean pages; degraded pages are JPEG or PNG
   * as their degradation implies.
   */
  static List<Document> make(
      long seed, LocalDate today, int perLayout, List<Degradation> degradations) {
    Random random = new Random(seed);
    List<Document> documents = new ArrayList<>();
    int n = 0;
    for (Degradation degradation : degradations) {
      for (Layout layout : Layout.values()) {
        for (int i = 0; i < perLayout; i++) {
          boolean dayAboveTwelve = random.nextInt(4) == 0;
          CertificateTruth truth = CertificateGenerator.randomTruth(random, today, dayAboveTwelve);
          Style drawn = CertificateGenerator.randomStyle(random, dayAboveTwelve);
          Style style = new Style(layout, drawn.font(), drawn.size(), drawn.dates(), drawn.seed());
          BufferedImage page = CertificateGenerator.render(truth, style);
          BufferedImage degraded = CertificateGenerator.degrade(page, degradation, random);
          String name = String.format("%03d-%s-%s", n++, degradation, layout).toLowerCase();
          documents.add(encode(name, degraded, degradation, n, truth, style));
        }
      }
    }
    return documents;
  }

  private static Document encode(
      String name,
      BufferedImage image,
      Degradation degradation,
      int n,
      CertificateTruth truth,
      Style style) {
    return switch (degradation) {
      case JPEG, PHOTO, LOW_RESOLUTION ->
          new Document(
              name,
              CertificateGenerator.jpeg(image, 0.85f),
              "image/jpeg",
              truth,
              style,
              degradation);
      case NONE ->
          switch (n % 4) {
            case 0 ->
                new Document(
                    name,
                    CertificateGenerator.pdf(List.of(image), true),
                    "application/pdf",
                    truth,
                    style,
                    degradation);
            case 1 ->
                new Document(
                    name,
                    CertificateGenerator.tiff(Preprocessor.toGray(image)),
                    "image/tiff",
                    truth,
                    style,
                    degradation);
            default ->
                new Document(
                    name,
                    CertificateGenerator.png(Preprocessor.toGray(image)),
                    "image/png",
                    truth,
                    style,
                    degradation);
          };
      default ->
          new Document(
              name, CertificateGenerator.png(image), "image/png", truth, style, degradation);
    };
  }
}
