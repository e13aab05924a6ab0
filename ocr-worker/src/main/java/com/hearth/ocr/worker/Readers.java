package com.hearth.ocr.worker;

import com.hearth.ocr.CertificateReader;
import com.typesafe.config.Config;
import java.util.Optional;

/** The reader a worker uses, named by {@code hearth.ocr.reader-class} (HEARTH_OCR_READER_CLASS). */
public final class Readers {

  private Readers() {}

  /**
   * An instance of the configured class (public, with a public no-argument constructor), or empty
   * when none is configured. A class that is named but cannot be made stops the caller.
   */
  public static Optional<CertificateReader> fromConfig(Config config) {
    String name = config.hasPath("hearth.ocr.reader-class") ? config.getString("hearth.ocr.reader-class") : "";
    if (name.isBlank()) return Optional.empty();
    try {
      Object reader = Class.forName(name).getDeclaredConstructor().newInstance();
      if (!(reader instanceof CertificateReader r))
        throw new IllegalArgumentException("hearth.ocr.reader-class: " + name + " is not a CertificateReader");
      return Optional.of(r);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException("hearth.ocr.reader-class: cannot make a " + name + ": " + e, e);
    }
  }
}
