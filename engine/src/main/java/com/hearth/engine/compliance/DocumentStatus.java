package com.hearth.engine.compliance;

/**
 * Where a document stands: waiting for the OCR worker ({@code PENDING}), read ({@code READ}), not
 * readable ({@code UNREADABLE}), decided by an admin ({@code APPROVED}, {@code REJECTED}), or
 * withdrawn by its host ({@code WITHDRAWN}).
 */
public enum DocumentStatus {
  PENDING,
  READ,
  UNREADABLE,
  APPROVED,
  REJECTED,
  WITHDRAWN
}
