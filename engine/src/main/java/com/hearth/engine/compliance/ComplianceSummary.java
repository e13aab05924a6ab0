package com.hearth.engine.compliance;

import java.time.LocalDate;
import java.util.List;

/**
 * A kitchen's compliance at one moment: the overall status, every check with its result, its
 * confidence and the document fields it rests on, and the next expiry of a required document.
 * {@code confidence} is the lowest of the checks' (1 with no checks).
 */
public record ComplianceSummary(
    Status status,
    String jurisdiction,
    List<Check> checks,
    LocalDate nextExpiry,
    double confidence) {

  public ComplianceSummary {
    checks = List.copyOf(checks);
  }

  public enum Status {
    COMPLIANT,
    /** Nothing fails, but a document is still being read or waits for an admin. */
    PENDING_REVIEW,
    NON_COMPLIANT,
    /** Compliant, and a required document expires within the jurisdiction's warning period. */
    EXPIRING_SOON
  }

  public enum Result {
    PASS,
    FAIL,
    /** The machine is unsure (low confidence, unreadable, field missing): an admin decides. */
    REVIEW,
    /** The document is still being read. */
    PENDING,
    /** Passes, and expires within the warning period. */
    EXPIRING_SOON
  }

  /** Which field of which document a check read, and what it said. */
  public record Evidence(String documentId, DocumentField field, String value, double confidence) {}

  /**
   * One check: {@code name} is DOCUMENT_ON_FILE, DOCUMENT_TYPE, EXPIRY, HOLDER_NAME or ADDRESS;
   * {@code score} the match score of name and address checks (null otherwise).
   */
  public record Check(
      String name,
      DocumentType documentType,
      Result result,
      double confidence,
      Double score,
      String detail,
      List<Evidence> evidence) {
    public Check {
      evidence = List.copyOf(evidence);
    }
  }
}
