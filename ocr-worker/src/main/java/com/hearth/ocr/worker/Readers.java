package com.hearth.ocr.worker;

import com.hearth.ocr.CertificateReader;
import com.hearth.ocr.TesseractCertificateReader;
import com.typesafe.config.Config;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reader a worker uses, named by {@code hearth.ocr.reader-class} (HEARTH_OCR_READER_CLASS). */
public final class Readers {

  private static final Logger log = LoggerFactory.getLogger(Readers.class);

  /** The setting's default: Tesseract on the system's language data, when it is installed. */
  public static final String TESSERACT = "tesseract";

  private Readers() {}

  /**
   * {@value #TESSERACT} (the default): the Tesseract reader, or empty with a warning when Tesseract
   * or its English data is not installed, so that a node without it still starts and its uploads
   * wait as PENDING. Otherwise an instance of the configured class (public, with a public
   * no-argument constructor), or empty when the setting is empty. A class that is named but cannot
   * be made stops the caller.
   */
  public static Optional<CertificateReader> fromConfig(Config config) {
    String name =
        config.hasPath("hearth.ocr.reader-class")
            ? config.getString("hearth.ocr.reader-class")
            : "";
    if (name.isBlank()) return Optional.empty();
    if (name.equals(TESSERACT)) {
      try {
        return Optional.of(TesseractCertificateReader.onSystemTessdata());
      } catch (IllegalStateException | LinkageError e) {
        log.warn(
            "No OCR: {}. Uploaded certificates wait as PENDING until a node or `./hearth ocr-worker`"
                + " with Tesseract reads them.",
            e.getMessage());
        return Optional.empty();
      }
    }
    try {
      Object reader = Class.forName(name).getDeclaredConstructor().newInstance();
      if (!(reader instanceof CertificateReader r))
        throw new IllegalArgumentException(
            "hearth.ocr.reader-class: " + name + " is not a CertificateReader");
      return Optional.of(r);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(
          "hearth.ocr.reader-class: cannot make a " + name + ": " + e, e);
    }
  }
}
