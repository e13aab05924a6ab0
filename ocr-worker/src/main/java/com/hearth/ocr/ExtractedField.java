package com.hearth.ocr;

/**
 * One field read from a certificate, normalised (dates as ISO yyyy-MM-dd), with a confidence in [0,
 * 1] combining Tesseract's word confidences and how well the value matched its pattern.
 */
public record ExtractedField(String value, double confidence) {
  public ExtractedField {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("an extracted field needs a value");
    }
    if (!(confidence >= 0.0 && confidence <= 1.0)) {
      throw new IllegalArgumentException("confidence must lie in [0, 1]: " + confidence);
    }
  }
}
