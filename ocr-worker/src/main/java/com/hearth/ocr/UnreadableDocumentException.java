package com.hearth.ocr;

/**
 * A document that cannot be read, whatever the number of attempts (not an image or PDF that can be
 * decoded, no text found, too many pages). Transient failures are other exceptions and may be
 * retried.
 */
public final class UnreadableDocumentException extends Exception {
  public UnreadableDocumentException(String reason) {
    super(reason);
  }

  public UnreadableDocumentException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
