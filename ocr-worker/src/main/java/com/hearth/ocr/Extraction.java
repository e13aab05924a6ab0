package com.hearth.ocr;

import java.util.Map;

/**
 * What was read from one document: the fields found (absent ones are missing from the map), the
 * number of pages read and the mean word confidence of the recognised text in [0, 1].
 */
public record Extraction(
    Map<CertificateField, ExtractedField> fields, int pages, double textConfidence) {
  public Extraction {
    fields = Map.copyOf(fields);
  }
}
