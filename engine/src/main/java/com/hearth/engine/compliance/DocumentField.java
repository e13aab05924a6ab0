package com.hearth.engine.compliance;

/**
 * The fields read from a certificate (the OCR worker's names for them); dates are ISO yyyy-MM-dd.
 */
public enum DocumentField {
  DOCUMENT_TYPE,
  HOLDER_NAME,
  LICENCE_NUMBER,
  ISSUING_AUTHORITY,
  ISSUE_DATE,
  EXPIRY_DATE,
  ADDRESS
}
