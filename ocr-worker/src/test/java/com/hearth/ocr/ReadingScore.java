package com.hearth.ocr;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Field accuracy of a reader over generated documents, per field and overall. */
final class ReadingScore {
  /** The confidence above which an expiry date counts as read with high confidence. */
  static final double HIGH_CONFIDENCE = 0.8;

  private final Map<CertificateField, int[]> perField = new EnumMap<>(CertificateField.class);
  private final StringBuilder misses = new StringBuilder();
  int expiryConfident;
  int expiryConfidentWrongVerdict;
  int expiryConfidentWrongDate;

  void add(GeneratedCorpus.Document document, Extraction extraction, LocalDate today) {
    for (Map.Entry<CertificateField, String> entry : document.truth().expected().entrySet()) {
      CertificateField field = entry.getKey();
      ExtractedField read = extraction.fields().get(field);
      boolean right =
          CertificateTruth.matches(field, entry.getValue(), read == null ? null : read.value());
      int[] counts = perField.computeIfAbsent(field, f -> new int[2]);
      counts[0] += right ? 1 : 0;
      counts[1]++;
      if (!right) {
        misses.append(
            String.format(
                "  %s %s: expected '%s', read %s%n",
                document.name(),
                field,
                entry.getValue(),
                read == null
                    ? "nothing"
                    : "'" + read.value() + "' (" + String.format("%.2f", read.confidence()) + ")"));
      }
    }
    ExtractedField expiry = extraction.fields().get(CertificateField.EXPIRY_DATE);
    if (expiry != null && expiry.confidence() >= HIGH_CONFIDENCE) {
      expiryConfident++;
      boolean expiredRead = LocalDate.parse(expiry.value()).isBefore(today);
      boolean expiredTruth = document.truth().expires().isBefore(today);
      expiryConfidentWrongVerdict += expiredRead == expiredTruth ? 0 : 1;
      expiryConfidentWrongDate +=
          expiry.value().equals(document.truth().expires().toString()) ? 0 : 1;
    }
  }

  double accuracy() {
    int right = perField.values().stream().mapToInt(c -> c[0]).sum();
    int total = perField.values().stream().mapToInt(c -> c[1]).sum();
    return total == 0 ? 0 : (double) right / total;
  }

  double accuracy(CertificateField field) {
    int[] counts = perField.get(field);
    return counts == null || counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
  }

  String report(String title, int documents) {
    String fields =
        perField.entrySet().stream()
            .map(
                e ->
                    String.format(
                        "  %-18s %3d/%3d  %5.1f %%",
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        100.0 * e.getValue()[0] / e.getValue()[1]))
            .collect(Collectors.joining("\n"));
    return String.format(
        "%s: %d documents, field accuracy %.1f %%; expiry read with confidence >= %.1f on %d,"
            + " wrong date on %d, wrong expired verdict on %d%n%s%n%s",
        title,
        documents,
        100 * accuracy(),
        HIGH_CONFIDENCE,
        expiryConfident,
        expiryConfidentWrongDate,
        expiryConfidentWrongVerdict,
        fields,
        misses);
  }
}
