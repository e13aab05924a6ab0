package com.hearth.engine.compliance;

import com.hearth.engine.CborSerializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One uploaded certificate of a kitchen, without its bytes (those are stored once per content hash
 * in the database): what the host declared, what the OCR worker read, and an admin's review.
 */
public record Document(
    String documentId,
    DocumentType type,
    String mediaType,
    String contentHash,
    long sizeBytes,
    int pages,
    DocumentStatus status,
    Instant uploadedAt,
    Instant updatedAt,
    Map<DocumentField, FieldReading> fields,
    Double textConfidence,
    String unreadableReason,
    int attempts,
    Review review)
    implements CborSerializable {

  public Document {
    fields = fields == null ? Map.of() : Map.copyOf(fields);
  }

  static Document uploaded(
      String documentId,
      DocumentType type,
      String mediaType,
      String contentHash,
      long sizeBytes,
      int pages,
      Instant at) {
    return new Document(
        documentId,
        type,
        mediaType,
        contentHash,
        sizeBytes,
        pages,
        DocumentStatus.PENDING,
        at,
        at,
        Map.of(),
        null,
        null,
        0,
        null);
  }

  Document read(
      Map<DocumentField, FieldReading> readFields,
      double textConfidence,
      int attempts,
      Instant at) {
    return new Document(
        documentId,
        type,
        mediaType,
        contentHash,
        sizeBytes,
        pages,
        DocumentStatus.READ,
        uploadedAt,
        at,
        readFields,
        textConfidence,
        null,
        attempts,
        null);
  }

  Document unreadable(String reason, int attempts, Instant at) {
    return new Document(
        documentId,
        type,
        mediaType,
        contentHash,
        sizeBytes,
        pages,
        DocumentStatus.UNREADABLE,
        uploadedAt,
        at,
        fields,
        textConfidence,
        reason,
        attempts,
        null);
  }

  /**
   * An approval's corrections replace the fields they name, at confidence 1: a person read them.
   */
  Document reviewed(Review decision) {
    Map<DocumentField, FieldReading> next = new EnumMap<>(DocumentField.class);
    next.putAll(fields);
    if (decision.approved())
      decision.corrections().forEach((f, v) -> next.put(f, new FieldReading(v, 1.0)));
    return new Document(
        documentId,
        type,
        mediaType,
        contentHash,
        sizeBytes,
        pages,
        decision.approved() ? DocumentStatus.APPROVED : DocumentStatus.REJECTED,
        uploadedAt,
        decision.at(),
        next,
        textConfidence,
        unreadableReason,
        attempts,
        decision);
  }

  Document withdrawn(Instant at) {
    return new Document(
        documentId,
        type,
        mediaType,
        contentHash,
        sizeBytes,
        pages,
        DocumentStatus.WITHDRAWN,
        uploadedAt,
        at,
        fields,
        textConfidence,
        unreadableReason,
        attempts,
        review);
  }

  /** The expiry date read (or corrected), if there is one that parses as an ISO date. */
  public Optional<LocalDate> expiryDate() {
    FieldReading expiry = fields.get(DocumentField.EXPIRY_DATE);
    if (expiry == null) return Optional.empty();
    try {
      return Optional.of(LocalDate.parse(expiry.value()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Still part of the kitchen's file: neither withdrawn nor rejected. */
  public boolean isLive() {
    return status != DocumentStatus.WITHDRAWN && status != DocumentStatus.REJECTED;
  }
}
