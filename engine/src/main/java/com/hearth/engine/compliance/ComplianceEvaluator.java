package com.hearth.engine.compliance;

import com.hearth.engine.compliance.ComplianceSummary.Check;
import com.hearth.engine.compliance.ComplianceSummary.Evidence;
import com.hearth.engine.compliance.ComplianceSummary.Result;
import com.hearth.engine.compliance.ComplianceSummary.Status;
import com.hearth.engine.host.HostProfile;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides a kitchen's compliance from its documents, its host's profile and its address under one
 * jurisdiction's rules. A pure function of its arguments.
 *
 * <p>For each required type it picks the kitchen's best document of that type (of the read or
 * approved ones, the one that fares best under the checks, then an approved one, then the latest
 * expiry) and checks that it is on file and readable, that its read type is the declared one, that
 * it expires late enough, that its holder is the host's business and, for premises certificates,
 * that its address is the kitchen's. A check resting on a field read with less confidence than the
 * rules' threshold is left to an admin (REVIEW). A document an admin approved passes the name,
 * address and type checks on the admin's word; its expiry is still checked, since time passes.
 */
public final class ComplianceEvaluator {

  private ComplianceEvaluator() {}

  public static ComplianceSummary evaluate(
      ComplianceRules rules,
      HostProfile host,
      String kitchenAddress,
      Collection<Document> documents,
      LocalDate today) {
    List<Check> checks = new ArrayList<>();
    LocalDate nextExpiry = null;
    for (DocumentType type : rules.required()) {
      List<Document> ofType =
          documents.stream().filter(d -> d.type() == type && d.isLive()).toList();
      Optional<Judged> best =
          ofType.stream()
              .filter(
                  d -> d.status() == DocumentStatus.APPROVED || d.status() == DocumentStatus.READ)
              .map(d -> judge(rules, type, d, host, kitchenAddress, today))
              .max(BEST);
      if (best.isEmpty()) {
        checks.add(missing(type, ofType));
        continue;
      }
      Document d = best.get().document();
      checks.addAll(best.get().checks());
      Check expiry =
          best.get().checks().stream().filter(c -> c.name().equals("EXPIRY")).findFirst().get();
      if (expiry.result() != Result.REVIEW || d.expiryDate().isPresent()) {
        LocalDate date = d.expiryDate().orElse(null);
        if (date != null && (nextExpiry == null || date.isBefore(nextExpiry))) nextExpiry = date;
      }
    }
    double confidence = checks.stream().mapToDouble(Check::confidence).min().orElse(1.0);
    return new ComplianceSummary(
        statusOf(checks), rules.jurisdiction(), checks, nextExpiry, confidence);
  }

  /**
   * Any failure makes the kitchen non-compliant; then anything unsure or unread; then a coming
   * expiry.
   */
  static Status statusOf(List<Check> checks) {
    if (checks.stream().anyMatch(c -> c.result() == Result.FAIL)) return Status.NON_COMPLIANT;
    if (checks.stream().anyMatch(c -> c.result() == Result.REVIEW || c.result() == Result.PENDING))
      return Status.PENDING_REVIEW;
    if (checks.stream().anyMatch(c -> c.result() == Result.EXPIRING_SOON))
      return Status.EXPIRING_SOON;
    return Status.COMPLIANT;
  }

  /** One read or approved document of a required type and the checks it gets. */
  private record Judged(Document document, List<Check> checks) {
    /** 2 when every check passes (or only expires soon), 1 when one is unsure, 0 when one fails. */
    int standing() {
      if (checks.stream().anyMatch(c -> c.result() == Result.FAIL)) return 0;
      if (checks.stream()
          .anyMatch(c -> c.result() == Result.REVIEW || c.result() == Result.PENDING)) return 1;
      return 2;
    }
  }

  /**
   * Which of a type's documents the kitchen is judged by: the one that fares best (a document that
   * passes beats one an admin must look at, which beats one that fails, so a wrong or unclear
   * upload never hides a valid certificate on file), then an approved one, then the one valid
   * longest, then the newest.
   */
  private static final Comparator<Judged> BEST =
      Comparator.comparingInt(Judged::standing)
          .thenComparingInt(j -> j.document().status() == DocumentStatus.APPROVED ? 1 : 0)
          .thenComparing(j -> j.document().expiryDate().orElse(LocalDate.MIN))
          .thenComparing(j -> j.document().uploadedAt());

  private static Judged judge(
      ComplianceRules rules,
      DocumentType type,
      Document d,
      HostProfile host,
      String kitchenAddress,
      LocalDate today) {
    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "DOCUMENT_ON_FILE",
            type,
            Result.PASS,
            1.0,
            null,
            d.status() == DocumentStatus.APPROVED ? "approved by an admin" : "read",
            List.of(new Evidence(d.documentId(), null, d.status().name(), 1.0))));
    typeCheck(rules, type, d).ifPresent(checks::add);
    checks.add(expiryCheck(rules, type, d, today));
    checks.add(nameCheck(rules, type, d, host));
    if (rules.addressCheckedFor().contains(type))
      checks.add(addressCheck(rules, type, d, kitchenAddress));
    return new Judged(d, checks);
  }

  private static Check missing(DocumentType type, List<Document> ofType) {
    List<Evidence> evidence =
        ofType.stream()
            .map(d -> new Evidence(d.documentId(), null, d.status().name(), 0.0))
            .toList();
    if (ofType.stream().anyMatch(d -> d.status() == DocumentStatus.PENDING))
      return new Check(
          "DOCUMENT_ON_FILE",
          type,
          Result.PENDING,
          0.0,
          null,
          "uploaded and waiting to be read",
          evidence);
    if (ofType.stream().anyMatch(d -> d.status() == DocumentStatus.UNREADABLE))
      return new Check(
          "DOCUMENT_ON_FILE",
          type,
          Result.REVIEW,
          0.0,
          null,
          "the document could not be read: an admin reads it, or upload a clearer copy",
          evidence);
    return new Check(
        "DOCUMENT_ON_FILE", type, Result.FAIL, 1.0, null, "no " + type + " on file", evidence);
  }

  private static Optional<Check> typeCheck(ComplianceRules rules, DocumentType type, Document d) {
    FieldReading read = d.fields().get(DocumentField.DOCUMENT_TYPE);
    if (read == null || d.status() == DocumentStatus.APPROVED) return Optional.empty();
    List<Evidence> evidence =
        List.of(
            new Evidence(
                d.documentId(), DocumentField.DOCUMENT_TYPE, read.value(), read.confidence()));
    if (read.value().equals(type.name()))
      return Optional.of(
          unsure(
              rules,
              new Check(
                  "DOCUMENT_TYPE",
                  type,
                  Result.PASS,
                  read.confidence(),
                  null,
                  "the document reads as a " + type,
                  evidence)));
    return Optional.of(
        unsure(
            rules,
            new Check(
                "DOCUMENT_TYPE",
                type,
                Result.FAIL,
                read.confidence(),
                null,
                "declared a " + type + " but reads as a " + read.value(),
                evidence)));
  }

  private static Check expiryCheck(
      ComplianceRules rules, DocumentType type, Document d, LocalDate today) {
    FieldReading read = d.fields().get(DocumentField.EXPIRY_DATE);
    Optional<LocalDate> date = d.expiryDate();
    if (read == null || date.isEmpty())
      return new Check(
          "EXPIRY",
          type,
          Result.REVIEW,
          0.0,
          null,
          "no expiry date could be read",
          read == null
              ? List.of()
              : List.of(
                  new Evidence(
                      d.documentId(), DocumentField.EXPIRY_DATE, read.value(), read.confidence())));
    List<Evidence> evidence =
        List.of(
            new Evidence(
                d.documentId(), DocumentField.EXPIRY_DATE, read.value(), read.confidence()));
    LocalDate mustLast = today.plusDays(rules.minDaysAhead());
    Check check;
    if (date.get().isBefore(today))
      check =
          new Check(
              "EXPIRY",
              type,
              Result.FAIL,
              read.confidence(),
              null,
              "expired on " + date.get(),
              evidence);
    else if (date.get().isBefore(mustLast))
      check =
          new Check(
              "EXPIRY",
              type,
              Result.FAIL,
              read.confidence(),
              null,
              "expires on " + date.get() + ", less than " + rules.minDaysAhead() + " days ahead",
              evidence);
    else if (date.get().isBefore(today.plusDays(rules.expiringSoonDays())))
      check =
          new Check(
              "EXPIRY",
              type,
              Result.EXPIRING_SOON,
              read.confidence(),
              null,
              "expires on " + date.get() + ", within " + rules.expiringSoonDays() + " days",
              evidence);
    else
      check =
          new Check(
              "EXPIRY",
              type,
              Result.PASS,
              read.confidence(),
              null,
              "valid until " + date.get(),
              evidence);
    return unsure(rules, check);
  }

  private static Check nameCheck(
      ComplianceRules rules, DocumentType type, Document d, HostProfile host) {
    FieldReading read = d.fields().get(DocumentField.HOLDER_NAME);
    List<Evidence> evidence =
        read == null
            ? List.of()
            : List.of(
                new Evidence(
                    d.documentId(), DocumentField.HOLDER_NAME, read.value(), read.confidence()));
    if (d.status() == DocumentStatus.APPROVED)
      return new Check(
          "HOLDER_NAME", type, Result.PASS, 1.0, null, "approved by an admin", evidence);
    if (host == null)
      return new Check(
          "HOLDER_NAME",
          type,
          Result.FAIL,
          1.0,
          null,
          "the host has no profile to compare the holder with",
          evidence);
    if (read == null)
      return new Check(
          "HOLDER_NAME", type, Result.REVIEW, 0.0, null, "no holder name could be read", evidence);
    double score =
        Math.max(
            Similarity.names(read.value(), host.businessName()),
            Similarity.names(read.value(), host.legalName()));
    Check check =
        score >= rules.nameMatchThreshold()
            ? new Check(
                "HOLDER_NAME",
                type,
                Result.PASS,
                read.confidence(),
                round(score),
                "issued to the host's business",
                evidence)
            : new Check(
                "HOLDER_NAME",
                type,
                Result.FAIL,
                read.confidence(),
                round(score),
                "issued to \"" + read.value() + "\", not to " + host.businessName(),
                evidence);
    return unsure(rules, check);
  }

  private static Check addressCheck(
      ComplianceRules rules, DocumentType type, Document d, String kitchenAddress) {
    FieldReading read = d.fields().get(DocumentField.ADDRESS);
    List<Evidence> evidence =
        read == null
            ? List.of()
            : List.of(
                new Evidence(
                    d.documentId(), DocumentField.ADDRESS, read.value(), read.confidence()));
    if (d.status() == DocumentStatus.APPROVED)
      return new Check("ADDRESS", type, Result.PASS, 1.0, null, "approved by an admin", evidence);
    if (kitchenAddress == null || kitchenAddress.isBlank())
      return new Check(
          "ADDRESS",
          type,
          Result.FAIL,
          1.0,
          null,
          "the kitchen has no address to compare with",
          evidence);
    if (read == null)
      return new Check(
          "ADDRESS", type, Result.REVIEW, 0.0, null, "no address could be read", evidence);
    double score = Similarity.addresses(kitchenAddress, read.value());
    Check check =
        score >= rules.addressMatchThreshold()
            ? new Check(
                "ADDRESS",
                type,
                Result.PASS,
                read.confidence(),
                round(score),
                "the kitchen's address",
                evidence)
            : new Check(
                "ADDRESS",
                type,
                Result.FAIL,
                read.confidence(),
                round(score),
                "certifies \"" + read.value() + "\", not " + kitchenAddress,
                evidence);
    return unsure(rules, check);
  }

  /** A result resting on a reading below the review threshold is an admin's to decide. */
  private static Check unsure(ComplianceRules rules, Check check) {
    if (check.confidence() >= rules.reviewBelowConfidence()) return check;
    return new Check(
        check.name(),
        check.documentType(),
        Result.REVIEW,
        check.confidence(),
        check.score(),
        "read with low confidence (" + round(check.confidence()) + "): " + check.detail(),
        check.evidence());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
