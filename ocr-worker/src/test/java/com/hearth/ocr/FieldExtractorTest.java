package com.hearth.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extraction from recognised text alone: no Tesseract, no images. */
class FieldExtractorTest {
  private final FieldExtractor extractor = new FieldExtractor();

  private Map<CertificateField, ExtractedField> read(String... lines) {
    return extractor.extract(RecognisedText.of(0.95, lines));
  }

  private static String value(
      Map<CertificateField, ExtractedField> fields, CertificateField field) {
    ExtractedField read = fields.get(field);
    return read == null ? null : read.value();
  }

  @Test
  void readsALetterOfLabelledLines() {
    var fields =
        read(
            "Hartwell Mutual Insurance Company",
            "CERTIFICATE OF INSURANCE",
            "Insured: Bayview Creamery Co.",
            "Policy No.: 35-06282P",
            "Location: 926 Oak Boulevard, Portland, OR 97204",
            "Policy Effective: 30 November 2026",
            "Expires: 30 November 2027");
    assertThat(value(fields, CertificateField.DOCUMENT_TYPE)).isEqualTo("LIABILITY_INSURANCE");
    assertThat(value(fields, CertificateField.HOLDER_NAME)).isEqualTo("Bayview Creamery Co.");
    assertThat(value(fields, CertificateField.LICENCE_NUMBER)).isEqualTo("35-06282P");
    assertThat(value(fields, CertificateField.ISSUING_AUTHORITY))
        .isEqualTo("Hartwell Mutual Insurance Company");
    assertThat(value(fields, CertificateField.ADDRESS))
        .isEqualTo("926 Oak Boulevard, Portland, OR 97204");
    assertThat(value(fields, CertificateField.ISSUE_DATE)).isEqualTo("2026-11-30");
    assertThat(value(fields, CertificateField.EXPIRY_DATE)).isEqualTo("2027-11-30");
    assertThat(fields.values()).allSatisfy(f -> assertThat(f.confidence()).isGreaterThan(0.7));
  }

  @Test
  void readsATableWhoseValuesStandInTheirOwnColumn() {
    var fields =
        read(
            "BROOKLYN HEALTH DEPARTMENT",
            "FOOD SERVICE ESTABLISHMENT PERMIT",
            "Permit Holder      Iron Skillet Catering LLC",
            "Issued by      Brooklyn Health Department",
            "Permit Number      FSE6442276",
            "Premises Address      905 Station Plaza",
            "Brooklyn, NY 11201",
            "Date of Issue      17 April 2025",
            "Expiry Date      16 April 2026");
    assertThat(value(fields, CertificateField.DOCUMENT_TYPE)).isEqualTo("HEALTH_PERMIT");
    assertThat(value(fields, CertificateField.HOLDER_NAME)).isEqualTo("Iron Skillet Catering LLC");
    assertThat(value(fields, CertificateField.ISSUING_AUTHORITY))
        .isEqualTo("Brooklyn Health Department");
    assertThat(value(fields, CertificateField.LICENCE_NUMBER)).isEqualTo("FSE6442276");
    assertThat(value(fields, CertificateField.ISSUE_DATE)).isEqualTo("2025-04-17");
    assertThat(value(fields, CertificateField.EXPIRY_DATE)).isEqualTo("2026-04-16");
  }

  @Test
  void readsAFormWithLabelsAboveTheirValues() {
    var fields =
        read(
            "Office of the Tucson Fire Marshal",
            "CERTIFICATE OF FIRE CODE COMPLIANCE",
            "BUSINESS NAME      CERTIFICATE NO.",
            "Iron Skillet Commissary Co.      43-60871F",
            "LOCATION",
            "9135 Cedar Drive, Tucson, AZ 85701",
            "ISSUE DATE      EXPIRES",
            "2026-04-25      2027-04-25");
    assertThat(value(fields, CertificateField.DOCUMENT_TYPE)).isEqualTo("FIRE_INSPECTION");
    assertThat(value(fields, CertificateField.HOLDER_NAME))
        .isEqualTo("Iron Skillet Commissary Co.");
    assertThat(value(fields, CertificateField.LICENCE_NUMBER)).isEqualTo("43-60871F");
    assertThat(value(fields, CertificateField.ADDRESS))
        .isEqualTo("9135 Cedar Drive, Tucson, AZ 85701");
    assertThat(value(fields, CertificateField.ISSUING_AUTHORITY))
        .isEqualTo("Office of the Tucson Fire Marshal");
    assertThat(value(fields, CertificateField.ISSUE_DATE)).isEqualTo("2026-04-25");
    assertThat(value(fields, CertificateField.EXPIRY_DATE)).isEqualTo("2027-04-25");
  }

  @Test
  void readsProseWithAValidityPeriod() {
    var fields =
        read(
            "Austin Office of the City Clerk",
            "GENERAL BUSINESS LICENCE",
            "This certifies that",
            "Green Fork Creamery",
            "located at",
            "5407 Mill Lane, Austin, TX 78701",
            "is insured for general liability under",
            "Licence Number BT9870301",
            "Valid from 15-OCT-2026 until 15-OCT-2027");
    assertThat(value(fields, CertificateField.HOLDER_NAME)).isEqualTo("Green Fork Creamery");
    assertThat(value(fields, CertificateField.ADDRESS))
        .isEqualTo("5407 Mill Lane, Austin, TX 78701");
    assertThat(value(fields, CertificateField.LICENCE_NUMBER)).isEqualTo("BT9870301");
    assertThat(value(fields, CertificateField.ISSUING_AUTHORITY))
        .isEqualTo("Austin Office of the City Clerk");
    assertThat(value(fields, CertificateField.ISSUE_DATE)).isEqualTo("2026-10-15");
    assertThat(value(fields, CertificateField.EXPIRY_DATE)).isEqualTo("2027-10-15");
  }

  @Test
  void readsTheManyWaysOfWritingAnExpiry() {
    assertThat(
            value(
                read("Expiration Date: 03/05/2027", "Issued: 04/17/2026"),
                CertificateField.EXPIRY_DATE))
        .isEqualTo("2027-03-05");
    assertThat(value(read("Valid until March 5, 2027"), CertificateField.EXPIRY_DATE))
        .isEqualTo("2027-03-05");
    assertThat(value(read("EXP: 05-MAR-2027"), CertificateField.EXPIRY_DATE))
        .isEqualTo("2027-03-05");
    assertThat(value(read("Expires 5th March 2027"), CertificateField.EXPIRY_DATE))
        .isEqualTo("2027-03-05");
    assertThat(value(read("Date of Expiry: 2027-03-05"), CertificateField.EXPIRY_DATE))
        .isEqualTo("2027-03-05");
    assertThat(
            value(
                read("Valid Through: 5.3.2027", "Issue Date: 17.4.2026"),
                CertificateField.EXPIRY_DATE))
        .isEqualTo("2027-03-05");
  }

  @Test
  void toleratesGluedAndMisreadLabels() {
    var fields = read("‘Issuedby   State Board of Food Safety", "Expiratlon Date: 2027-03-05");
    assertThat(value(fields, CertificateField.ISSUING_AUTHORITY))
        .isEqualTo("State Board of Food Safety");
    assertThat(value(fields, CertificateField.EXPIRY_DATE)).isEqualTo("2027-03-05");
    assertThat(fields.get(CertificateField.EXPIRY_DATE).confidence()).isLessThan(0.95 * 0.95);
  }

  @Test
  void anAmbiguousDayOrderLowersTheConfidence() {
    var guessed = read("Expires: 03/05/2027");
    var decided = read("Expires: 03/05/2027", "Issued: 03/17/2026");
    assertThat(value(guessed, CertificateField.EXPIRY_DATE)).isEqualTo("2027-03-05");
    assertThat(guessed.get(CertificateField.EXPIRY_DATE).confidence())
        .isLessThan(decided.get(CertificateField.EXPIRY_DATE).confidence())
        .isLessThan(0.8);
  }

  @Test
  void lowWordConfidenceLowersTheFieldConfidence() {
    var sure = extractor.extract(RecognisedText.of(0.95, "Permit No: HP-2027-004512"));
    var unsure = extractor.extract(RecognisedText.of(0.40, "Permit No: HP-2027-004512"));
    assertThat(sure.get(CertificateField.LICENCE_NUMBER).confidence())
        .isGreaterThan(unsure.get(CertificateField.LICENCE_NUMBER).confidence());
    assertThat(unsure.get(CertificateField.LICENCE_NUMBER).confidence()).isLessThanOrEqualTo(0.4);
  }

  @Test
  void textWithoutLabelsGivesNoFields() {
    assertThat(read("Lorem ipsum dolor sit amet", "consectetur adipiscing elit")).isEmpty();
    assertThat(extractor.extract(new RecognisedText(java.util.List.of()))).isEmpty();
  }
}
