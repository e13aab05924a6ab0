package com.hearth.ocr;

/** The fields read from a certificate. */
public enum CertificateField {
  /** The kind of document, as a {@link com.hearth.engine.compliance.DocumentType} name. */
  DOCUMENT_TYPE,
  /** The holder's or business's name. */
  HOLDER_NAME,
  /** The licence, permit, certificate or policy number. */
  LICENCE_NUMBER,
  ISSUING_AUTHORITY,
  /** ISO date, yyyy-MM-dd. */
  ISSUE_DATE,
  /** ISO date, yyyy-MM-dd. */
  EXPIRY_DATE,
  /** The premises' address, on one line. */
  ADDRESS
}
