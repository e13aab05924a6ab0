package com.hearth.ocr;

/**
 * Reads a certificate's fields from its bytes. Blocking and CPU-bound: call it on a dedicated
 * executor, never on an actor thread. Implementations are safe for concurrent use.
 */
public interface CertificateReader {
  /**
   * @param content the uploaded file
   * @param mediaType the type sniffed from the bytes: image/png, image/jpeg, image/tiff or
   *     application/pdf
   */
  Extraction read(byte[] content, String mediaType) throws UnreadableDocumentException;
}
