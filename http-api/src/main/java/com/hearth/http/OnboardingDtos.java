package com.hearth.http;

import com.hearth.engine.compliance.ComplianceSummary;
import com.hearth.engine.compliance.Document;
import com.hearth.engine.compliance.DocumentField;
import com.hearth.engine.compliance.FieldReading;
import com.hearth.engine.host.HostProfile;
import com.hearth.projections.OnboardingQueries.ReviewItem;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of host profiles, documents, compliance summaries and reviews (snake_case). */
final class OnboardingDtos {

  private OnboardingDtos() {}

  record HostProfileBody(
      String legalName,
      String businessName,
      String contactName,
      String contactEmail,
      String contactPhone,
      String address,
      String city,
      String region,
      String postalCode,
      String country) {

    HostProfile toDomain() {
      return new HostProfile(
          legalName,
          businessName,
          contactName,
          contactEmail,
          contactPhone,
          address,
          city,
          region,
          postalCode,
          country);
    }
  }

  record HostProfileResponse(
      String hostId,
      String legalName,
      String businessName,
      String contactName,
      String contactEmail,
      String contactPhone,
      String address,
      String city,
      String region,
      String postalCode,
      String country,
      String jurisdiction,
      Instant updatedAt) {

    static HostProfileResponse of(String hostId, HostProfile p, Instant updatedAt) {
      return new HostProfileResponse(
          hostId,
          p.legalName(),
          p.businessName(),
          p.contactName(),
          p.contactEmail(),
          p.contactPhone(),
          p.address(),
          p.city(),
          p.region(),
          p.postalCode(),
          p.country(),
          p.jurisdiction(),
          updatedAt);
    }
  }

  record FieldDto(String value, double confidence) {}

  record ReviewDto(
      String adminId,
      String decision,
      String reason,
      Map<String, String> correctedFields,
      Instant at) {}

  record DocumentResponse(
      String documentId,
      String kitchenId,
      String type,
      String status,
      String mediaType,
      long sizeBytes,
      int pages,
      String sha256,
      Map<String, FieldDto> fields,
      Double textConfidence,
      String unreadableReason,
      int attempts,
      ReviewDto review,
      Instant uploadedAt,
      Instant updatedAt) {

    static DocumentResponse of(String kitchenId, Document d) {
      ReviewDto review =
          d.review() == null
              ? null
              : new ReviewDto(
                  d.review().adminId(),
                  d.review().approved() ? "APPROVED" : "REJECTED",
                  d.review().reason(),
                  names(d.review().corrections()),
                  d.review().at());
      return new DocumentResponse(
          d.documentId(),
          kitchenId,
          d.type().name(),
          d.status().name(),
          d.mediaType(),
          d.sizeBytes(),
          d.pages(),
          d.contentHash(),
          OnboardingDtos.fields(d.fields()),
          d.textConfidence(),
          d.unreadableReason(),
          d.attempts(),
          review,
          d.uploadedAt(),
          d.updatedAt());
    }
  }

  record DocumentList(String kitchenId, List<DocumentResponse> documents) {}

  /** A review: the corrected fields by their lower-case names (expiry_date, holder_name...). */
  record ReviewBody(String reason, Map<String, String> fields) {}

  record EvidenceDto(String documentId, String field, String value, double confidence) {}

  record CheckDto(
      String check,
      String documentType,
      String result,
      double confidence,
      Double score,
      String detail,
      List<EvidenceDto> evidence) {}

  record ComplianceResponse(
      String kitchenId,
      String status,
      String jurisdiction,
      boolean rulesApply,
      double confidence,
      LocalDate nextExpiry,
      List<CheckDto> checks,
      Instant evaluatedAt) {

    static ComplianceResponse of(
        String kitchenId, ComplianceSummary s, boolean rulesApply, Instant at) {
      return new ComplianceResponse(
          kitchenId,
          s.status().name(),
          s.jurisdiction(),
          rulesApply,
          s.confidence(),
          s.nextExpiry(),
          s.checks().stream()
              .map(
                  c ->
                      new CheckDto(
                          c.name(),
                          c.documentType().name(),
                          c.result().name(),
                          c.confidence(),
                          c.score(),
                          c.detail(),
                          c.evidence().stream()
                              .map(
                                  e ->
                                      new EvidenceDto(
                                          e.documentId(),
                                          e.field() == null ? null : lower(e.field()),
                                          e.value(),
                                          e.confidence()))
                              .toList()))
              .toList(),
          at);
    }
  }

  record ReviewQueueItem(
      String documentId,
      String kitchenId,
      String hostId,
      String type,
      String status,
      String jurisdiction,
      Double minConfidence,
      String unreadableReason,
      Map<String, FieldDto> fields,
      Instant uploadedAt,
      Instant updatedAt) {

    static ReviewQueueItem of(ReviewItem r) {
      return new ReviewQueueItem(
          r.documentId(),
          r.kitchenId(),
          r.hostId(),
          r.type().name(),
          r.status().name(),
          r.jurisdiction(),
          r.minConfidence(),
          r.unreadableReason(),
          OnboardingDtos.fields(r.fields()),
          r.uploadedAt(),
          r.updatedAt());
    }
  }

  record ReviewQueue(List<ReviewQueueItem> items) {}

  static Map<String, FieldDto> fields(Map<DocumentField, FieldReading> fields) {
    Map<String, FieldDto> out = new TreeMap<>();
    fields.forEach((f, r) -> out.put(lower(f), new FieldDto(r.value(), r.confidence())));
    return out;
  }

  static Map<String, String> names(Map<DocumentField, String> fields) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((f, v) -> out.put(lower(f), v));
    return new TreeMap<>(out);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
