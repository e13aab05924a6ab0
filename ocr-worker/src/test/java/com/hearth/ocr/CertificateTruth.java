package com.hearth.ocr;

import com.hearth.engine.compliance.DocumentType;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

/**
 * The field values a generated certificate is drawn from: what a perfect reader would return.
 * {@code street} and {@code city} are null on documents without an address (a food handler's card).
 */
record CertificateTruth(
    DocumentType type,
    String holder,
    String number,
    String authority,
    LocalDate issued,
    LocalDate expires,
    String street,
    String city) {

  String address() {
    return street == null ? null : street + ", " + city;
  }

  /** The expected value of every field the document shows, as the reader normalises it. */
  Map<CertificateField, String> expected() {
    Map<CertificateField, String> fields = new EnumMap<>(CertificateField.class);
    fields.put(CertificateField.DOCUMENT_TYPE, type.name());
    fields.put(CertificateField.HOLDER_NAME, holder);
    fields.put(CertificateField.LICENCE_NUMBER, number);
    fields.put(CertificateField.ISSUING_AUTHORITY, authority);
    fields.put(CertificateField.ISSUE_DATE, issued.toString());
    fields.put(CertificateField.EXPIRY_DATE, expires.toString());
    if (street != null) {
      fields.put(CertificateField.ADDRESS, address());
    }
    return fields;
  }

  /**
   * Whether a read value counts as right: dates and the type exactly, text fields ignoring case,
   * punctuation and spacing (a reader cannot know whether "Co." had its full stop).
   */
  static boolean matches(CertificateField field, String expected, String read) {
    if (read == null) {
      return false;
    }
    return switch (field) {
      case DOCUMENT_TYPE, ISSUE_DATE, EXPIRY_DATE -> expected.equals(read);
      // separators in an identifier are not significant: "BT 7731236" is "BT7731236"
      case LICENCE_NUMBER ->
          normalise(expected).replace(" ", "").equals(normalise(read).replace(" ", ""));
      default -> normalise(expected).equals(normalise(read));
    };
  }

  static String normalise(String text) {
    return text.toUpperCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
