package com.hearth.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.engine.compliance.ComplianceSummary.Check;
import com.hearth.engine.compliance.ComplianceSummary.Result;
import com.hearth.engine.compliance.ComplianceSummary.Status;
import com.hearth.engine.host.HostProfile;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compliance decision as a plain function: each check on its own, then how they add up. */
class ComplianceEvaluatorTest {

  static final LocalDate TODAY = LocalDate.of(2027, 3, 1);
  static final String KITCHEN = "12 Harbor St, Brooklyn, NY";
  static final HostProfile HOST =
      new HostProfile(
          "Harbor Kitchens Holding LLC",
          "Harbor Kitchens LLC",
          null,
          "ops@harbor.example",
          null,
          KITCHEN,
          "New York",
          "NY",
          null,
          "US");

  /**
   * Two required types, valid 7 days ahead, warned 30 days ahead, names at 0.85, addresses at 0.8,
   * review under 0.8.
   */
  static final ComplianceRules RULES =
      new ComplianceRules(
          "US-NY",
          List.of(DocumentType.HEALTH_PERMIT, DocumentType.BUSINESS_LICENCE),
          7,
          0.85,
          0.8,
          0.8,
          30,
          Set.of(DocumentType.HEALTH_PERMIT));

  private int ids;

  Document doc(DocumentType type, DocumentStatus status, String expiry, double confidence) {
    Map<DocumentField, FieldReading> f = new EnumMap<>(DocumentField.class);
    f.put(DocumentField.DOCUMENT_TYPE, new FieldReading(type.name(), 0.95));
    f.put(DocumentField.HOLDER_NAME, new FieldReading("HARBOR KITCHENS, LLC", 0.93));
    if (expiry != null) f.put(DocumentField.EXPIRY_DATE, new FieldReading(expiry, confidence));
    f.put(DocumentField.ADDRESS, new FieldReading("12 Harbor Street Brooklyn NY 11201", 0.9));
    return new Document(
        "doc_" + (++ids),
        type,
        "image/png",
        "hash" + ids,
        100,
        1,
        status,
        Instant.parse("2027-02-01T00:00:00Z").plusSeconds(ids),
        Instant.parse("2027-02-02T00:00:00Z"),
        f,
        0.9,
        null,
        1,
        null);
  }

  Document with(Document d, DocumentField field, String value, double confidence) {
    Map<DocumentField, FieldReading> f = new EnumMap<>(d.fields());
    f.put(field, new FieldReading(value, confidence));
    return new Document(
        d.documentId(),
        d.type(),
        d.mediaType(),
        d.contentHash(),
        d.sizeBytes(),
        d.pages(),
        d.status(),
        d.uploadedAt(),
        d.updatedAt(),
        f,
        d.textConfidence(),
        d.unreadableReason(),
        d.attempts(),
        d.review());
  }

  ComplianceSummary evaluate(Document... documents) {
    return ComplianceEvaluator.evaluate(RULES, HOST, KITCHEN, List.of(documents), TODAY);
  }

  static Check check(ComplianceSummary s, String name, DocumentType type) {
    return s.checks().stream()
        .filter(c -> c.name().equals(name) && c.documentType() == type)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void goodDocumentsOfEveryRequiredTypeAreCompliant() {
    ComplianceSummary s =
        evaluate(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96),
            doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.READ, "2027-12-31", 0.97));
    assertThat(s.status()).isEqualTo(Status.COMPLIANT);
    assertThat(s.nextExpiry()).isEqualTo(LocalDate.of(2027, 12, 31));
    assertThat(s.checks()).allMatch(c -> c.result() == Result.PASS);
    // Health permit: on file, type, expiry, name, address; licence: the same but the address.
    assertThat(s.checks()).hasSize(9);
    // The lowest confidence of any check: the address read at 0.9.
    assertThat(s.confidence()).isEqualTo(0.9);
    assertThat(check(s, "EXPIRY", DocumentType.BUSINESS_LICENCE).evidence().get(0).field())
        .isEqualTo(DocumentField.EXPIRY_DATE);
  }

  @Test
  void noRulesMeansCompliantWithNoChecks() {
    ComplianceRules none =
        new ComplianceRules("default", List.of(), 0, 0.85, 0.8, 0.8, 30, Set.of());
    ComplianceSummary s = ComplianceEvaluator.evaluate(none, null, null, List.of(), TODAY);
    assertThat(s.status()).isEqualTo(Status.COMPLIANT);
    assertThat(s.checks()).isEmpty();
    assertThat(s.nextExpiry()).isNull();
  }

  @Test
  void aMissingTypeFails() {
    ComplianceSummary s =
        evaluate(doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96));
    assertThat(s.status()).isEqualTo(Status.NON_COMPLIANT);
    assertThat(check(s, "DOCUMENT_ON_FILE", DocumentType.BUSINESS_LICENCE).result())
        .isEqualTo(Result.FAIL);
  }

  @Test
  void aDocumentStillBeingReadIsPending() {
    ComplianceSummary s =
        evaluate(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96),
            doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.PENDING, null, 0));
    assertThat(check(s, "DOCUMENT_ON_FILE", DocumentType.BUSINESS_LICENCE).result())
        .isEqualTo(Result.PENDING);
    assertThat(s.status()).isEqualTo(Status.PENDING_REVIEW);
  }

  @Test
  void anUnreadableDocumentGoesToReviewAndARejectedOneCountsAsMissing() {
    Document unreadable = doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.UNREADABLE, null, 0);
    ComplianceSummary s =
        evaluate(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96), unreadable);
    assertThat(check(s, "DOCUMENT_ON_FILE", DocumentType.BUSINESS_LICENCE).result())
        .isEqualTo(Result.REVIEW);
    Document rejected =
        unreadable.reviewed(new Review("admin-1", false, Map.of(), "blank", Instant.now()));
    ComplianceSummary after =
        evaluate(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96), rejected);
    assertThat(check(after, "DOCUMENT_ON_FILE", DocumentType.BUSINESS_LICENCE).result())
        .isEqualTo(Result.FAIL);
  }

  @Test
  void expiryAgainstTodayTheMinimumDaysAheadAndTheWarningPeriod() {
    // Yesterday: expired. Today + 6 days: valid now but not 7 days ahead. +7: passes yet within 30
    // days. +30: passes.
    assertThat(expiryResult("2027-02-28")).isEqualTo(Result.FAIL);
    assertThat(expiryResult("2027-03-07")).isEqualTo(Result.FAIL);
    assertThat(expiryResult("2027-03-08")).isEqualTo(Result.EXPIRING_SOON);
    assertThat(expiryResult("2027-03-30")).isEqualTo(Result.EXPIRING_SOON);
    assertThat(expiryResult("2027-03-31")).isEqualTo(Result.PASS);
    ComplianceSummary soon =
        evaluate(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2027-03-20", 0.96),
            doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.READ, "2028-01-31", 0.96));
    assertThat(soon.status()).isEqualTo(Status.EXPIRING_SOON);
    assertThat(soon.nextExpiry()).isEqualTo(LocalDate.of(2027, 3, 20));
  }

  private Result expiryResult(String date) {
    return check(
            evaluate(doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, date, 0.96)),
            "EXPIRY",
            DocumentType.HEALTH_PERMIT)
        .result();
  }

  @Test
  void anExpiryReadWithLowConfidenceIsAnAdminsToDecideEvenWhenItLooksExpired() {
    Check c =
        check(
            evaluate(doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2020-01-01", 0.5)),
            "EXPIRY",
            DocumentType.HEALTH_PERMIT);
    assertThat(c.result()).isEqualTo(Result.REVIEW);
    assertThat(c.confidence()).isEqualTo(0.5);
    Check missing =
        check(
            evaluate(doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, null, 0)),
            "EXPIRY",
            DocumentType.HEALTH_PERMIT);
    assertThat(missing.result()).isEqualTo(Result.REVIEW);
  }

  @Test
  void theHolderMustBeTheHostsBusinessOrLegalName() {
    Document other =
        with(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96),
            DocumentField.HOLDER_NAME,
            "Golden Dragon Noodle House",
            0.95);
    Check wrong = check(evaluate(other), "HOLDER_NAME", DocumentType.HEALTH_PERMIT);
    assertThat(wrong.result()).isEqualTo(Result.FAIL);
    assertThat(wrong.score()).isLessThan(0.5);
    Document legal =
        with(other, DocumentField.HOLDER_NAME, "Harbor Kitchens Holding, L.L.C.", 0.95);
    assertThat(check(evaluate(legal), "HOLDER_NAME", DocumentType.HEALTH_PERMIT).result())
        .isEqualTo(Result.PASS);
    // One OCR slip ("Harb0r") still matches.
    Document slip = with(other, DocumentField.HOLDER_NAME, "Harb0r Kitchens", 0.95);
    assertThat(check(evaluate(slip), "HOLDER_NAME", DocumentType.HEALTH_PERMIT).result())
        .isEqualTo(Result.PASS);
    ComplianceSummary noProfile =
        ComplianceEvaluator.evaluate(
            RULES,
            null,
            KITCHEN,
            List.of(doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96)),
            TODAY);
    assertThat(check(noProfile, "HOLDER_NAME", DocumentType.HEALTH_PERMIT).result())
        .isEqualTo(Result.FAIL);
  }

  @Test
  void premisesCertificatesMustShowTheKitchensAddress() {
    Document elsewhere =
        with(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96),
            DocumentField.ADDRESS,
            "14 Harbor Street, Brooklyn, NY 11201",
            0.95);
    Check c = check(evaluate(elsewhere), "ADDRESS", DocumentType.HEALTH_PERMIT);
    assertThat(c.result()).isEqualTo(Result.FAIL);
    assertThat(c.score()).isEqualTo(0.5);
    // The business licence is not a premises certificate: no address check.
    ComplianceSummary s =
        evaluate(doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.READ, "2028-01-31", 0.96));
    assertThat(s.checks())
        .noneMatch(
            x -> x.name().equals("ADDRESS") && x.documentType() == DocumentType.BUSINESS_LICENCE);
  }

  @Test
  void aDocumentThatReadsAsAnotherTypeFails() {
    Document d =
        with(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96),
            DocumentField.DOCUMENT_TYPE,
            "LIABILITY_INSURANCE",
            0.9);
    assertThat(check(evaluate(d), "DOCUMENT_TYPE", DocumentType.HEALTH_PERMIT).result())
        .isEqualTo(Result.FAIL);
  }

  @Test
  void anApprovalPassesNameAndAddressOnTheAdminsWordButNotAnExpiry() {
    Document d =
        with(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.4),
            DocumentField.HOLDER_NAME,
            "H. K. (illegible)",
            0.3);
    Document approved =
        d.reviewed(
            new Review(
                "admin-1",
                true,
                Map.of(DocumentField.EXPIRY_DATE, "2027-02-15"),
                "checked",
                Instant.now()));
    ComplianceSummary s = evaluate(approved);
    assertThat(check(s, "HOLDER_NAME", DocumentType.HEALTH_PERMIT).result()).isEqualTo(Result.PASS);
    assertThat(check(s, "ADDRESS", DocumentType.HEALTH_PERMIT).result()).isEqualTo(Result.PASS);
    Check expiry = check(s, "EXPIRY", DocumentType.HEALTH_PERMIT);
    assertThat(expiry.result()).isEqualTo(Result.FAIL);
    assertThat(expiry.confidence()).isEqualTo(1.0);
  }

  @Test
  void theBestDocumentOfATypeIsTheApprovedOrTheOneValidLongest() {
    Document older = doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2027-02-01", 0.96);
    Document newer = doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-06-30", 0.96);
    ComplianceSummary s =
        evaluate(
            older,
            newer,
            doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.READ, "2028-06-30", 0.96));
    assertThat(check(s, "EXPIRY", DocumentType.HEALTH_PERMIT).evidence().get(0).documentId())
        .isEqualTo(newer.documentId());
    assertThat(s.status()).isEqualTo(Status.COMPLIANT);
  }

  @Test
  void aWrongOrUnclearUploadDoesNotHideAValidCertificateOnFile() {
    Document valid = doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2028-01-31", 0.96);
    // Valid longer, but another business's: it fails, so the valid one is judged.
    Document wrongBusiness =
        with(
            doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2029-06-30", 0.96),
            DocumentField.HOLDER_NAME,
            "Riverside Catering Inc",
            0.95);
    // Valid longer still, but read unclearly: an admin's to decide, so the valid one is judged.
    Document unclear = doc(DocumentType.HEALTH_PERMIT, DocumentStatus.READ, "2030-06-30", 0.41);
    Document licence = doc(DocumentType.BUSINESS_LICENCE, DocumentStatus.READ, "2028-06-30", 0.96);
    ComplianceSummary s = evaluate(valid, wrongBusiness, unclear, licence);
    assertThat(s.status()).isEqualTo(Status.COMPLIANT);
    assertThat(check(s, "HOLDER_NAME", DocumentType.HEALTH_PERMIT).evidence().get(0).documentId())
        .isEqualTo(valid.documentId());
    assertThat(s.nextExpiry()).isEqualTo(LocalDate.parse("2028-01-31"));
    // Alone, the wrong business's permit is what the kitchen is judged by, and it fails.
    assertThat(evaluate(wrongBusiness, licence).status()).isEqualTo(Status.NON_COMPLIANT);
    assertThat(evaluate(unclear, licence).status()).isEqualTo(Status.PENDING_REVIEW);
  }

  @Test
  void aFailureOutweighsAReviewWhichOutweighsAWarning() {
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "EXPIRY", DocumentType.HEALTH_PERMIT, Result.EXPIRING_SOON, 1, null, "", List.of()));
    assertThat(ComplianceEvaluator.statusOf(checks)).isEqualTo(Status.EXPIRING_SOON);
    checks.add(
        new Check("EXPIRY", DocumentType.HEALTH_PERMIT, Result.REVIEW, 0.5, null, "", List.of()));
    assertThat(ComplianceEvaluator.statusOf(checks)).isEqualTo(Status.PENDING_REVIEW);
    checks.add(
        new Check("EXPIRY", DocumentType.HEALTH_PERMIT, Result.FAIL, 1, null, "", List.of()));
    assertThat(ComplianceEvaluator.statusOf(checks)).isEqualTo(Status.NON_COMPLIANT);
  }
}
