package com.hearth.projections;

import com.hearth.engine.compliance.ComplianceEntity.DocumentRead;
import com.hearth.engine.compliance.ComplianceEntity.DocumentReviewed;
import com.hearth.engine.compliance.ComplianceEntity.DocumentUnreadable;
import com.hearth.engine.compliance.ComplianceEntity.DocumentUploaded;
import com.hearth.engine.compliance.ComplianceEntity.DocumentWithdrawn;
import com.hearth.engine.compliance.DocumentField;
import com.hearth.engine.compliance.DocumentStatus;
import com.hearth.engine.compliance.FieldReading;
import com.hearth.engine.compliance.OnboardingEvent;
import com.hearth.engine.host.HostEntity.HostProfileSaved;
import com.hearth.engine.host.HostProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Writes the onboarding events into {@code host_profiles} and {@code kitchen_documents}, and queues
 * every uploaded document for the OCR workers in {@code document_jobs}, in the projection's
 * transaction. Every statement is idempotent: a profile row is replaced, a document row and its job
 * are inserted only if absent, and the other events set absolute values.
 */
final class OnboardingReadModelWriter {

  private final Connection c;

  OnboardingReadModelWriter(Connection connection) {
    this.c = connection;
  }

  void apply(List<EventEnvelope<OnboardingEvent>> group) throws SQLException {
    for (EventEnvelope<OnboardingEvent> envelope : group) apply(envelope.event());
  }

  private void apply(OnboardingEvent event) throws SQLException {
    if (event instanceof HostProfileSaved e) profile(e);
    else if (event instanceof DocumentUploaded e) uploaded(e);
    else if (event instanceof DocumentRead e) read(e);
    else if (event instanceof DocumentUnreadable e)
      update(
          "UPDATE kitchen_documents SET status = ?, unreadable_reason = ?, attempts = ?, updated_at = ? WHERE document_id = ?",
          DocumentStatus.UNREADABLE,
          e.reason(),
          e.attempts(),
          e.at(),
          e.documentId());
    else if (event instanceof DocumentReviewed e) reviewed(e);
    else if (event instanceof DocumentWithdrawn e) {
      update(
          "UPDATE kitchen_documents SET status = ?, updated_at = ? WHERE document_id = ?",
          DocumentStatus.WITHDRAWN,
          e.at(),
          e.documentId());
      update(
          "UPDATE document_jobs SET state = 'WITHDRAWN' WHERE document_id = ? AND state = 'PENDING'",
          e.documentId());
    }
  }

  private void profile(HostProfileSaved e) throws SQLException {
    HostProfile p = e.profile();
    update("DELETE FROM host_profiles WHERE host_id = ?", e.hostId());
    update(
        "INSERT INTO host_profiles (host_id, legal_name, business_name, contact_name, contact_email, contact_phone,"
            + " address, city, region, postal_code, country, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.hostId(),
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
        e.at());
  }

  private void uploaded(DocumentUploaded e) throws SQLException {
    if (!exists("SELECT 1 FROM kitchen_documents WHERE document_id = ?", e.documentId()))
      update(
          "INSERT INTO kitchen_documents (document_id, kitchen_id, host_id, document_type, media_type, content_hash,"
              + " size_bytes, pages, status, attempts, uploaded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
          e.documentId(),
          e.kitchenId(),
          e.hostId(),
          e.type(),
          e.mediaType(),
          e.contentHash(),
          e.sizeBytes(),
          e.pages(),
          DocumentStatus.PENDING,
          e.at(),
          e.at());
    if (!exists("SELECT 1 FROM document_jobs WHERE document_id = ?", e.documentId()))
      update(
          "INSERT INTO document_jobs (document_id, kitchen_id, content_hash, media_type, state, attempts, next_attempt_at,"
              + " created_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)",
          e.documentId(),
          e.kitchenId(),
          e.contentHash(),
          e.mediaType(),
          e.at(),
          e.at());
  }

  private void read(DocumentRead e) throws SQLException {
    update(
        "UPDATE kitchen_documents SET status = ?, fields_json = ?, min_confidence = ?, text_confidence = ?,"
            + " expiry_date = ?, attempts = ?, updated_at = ? WHERE document_id = ?",
        DocumentStatus.READ,
        fieldsJson(e.fields()),
        minConfidence(e.fields()),
        e.textConfidence(),
        expiry(e.fields()),
        e.attempts(),
        e.at(),
        e.documentId());
  }

  /**
   * An approval folds the corrections into the fields (at confidence 1); a rejection keeps what was
   * read.
   */
  private void reviewed(DocumentReviewed e) throws SQLException {
    Map<DocumentField, FieldReading> fields = new EnumMap<>(DocumentField.class);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT fields_json FROM kitchen_documents WHERE document_id = ?")) {
      ps.setString(1, e.documentId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return;
        String json = rs.getString(1);
        if (json != null) fields.putAll(readFields(json));
      }
    }
    if (e.approved()) e.corrections().forEach((f, v) -> fields.put(f, new FieldReading(v, 1.0)));
    update(
        "UPDATE kitchen_documents SET status = ?, fields_json = ?, min_confidence = ?, expiry_date = ?, reviewed_by = ?,"
            + " review_reason = ?, updated_at = ? WHERE document_id = ?",
        e.approved() ? DocumentStatus.APPROVED : DocumentStatus.REJECTED,
        fields.isEmpty() ? null : fieldsJson(fields),
        fields.isEmpty() ? null : minConfidence(fields),
        expiry(fields),
        e.adminId(),
        e.reason(),
        e.at(),
        e.documentId());
  }

  static String fieldsJson(Map<DocumentField, FieldReading> fields) {
    return ReadModelJson.write(new java.util.TreeMap<>(fields));
  }

  static Map<DocumentField, FieldReading> readFields(String json) {
    try {
      return ReadModelJson.MAPPER.readValue(
          json,
          new com.fasterxml.jackson.core.type.TypeReference<
              EnumMap<DocumentField, FieldReading>>() {});
    } catch (Exception ex) {
      throw new IllegalStateException("cannot read document fields from " + json, ex);
    }
  }

  private static Double minConfidence(Map<DocumentField, FieldReading> fields) {
    return fields.values().stream().mapToDouble(FieldReading::confidence).min().stream()
        .boxed()
        .findFirst()
        .orElse(null);
  }

  private static LocalDate expiry(Map<DocumentField, FieldReading> fields) {
    FieldReading r = fields.get(DocumentField.EXPIRY_DATE);
    if (r == null) return null;
    try {
      return LocalDate.parse(r.value());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private boolean exists(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, args);
      ps.executeUpdate();
    }
  }
}
