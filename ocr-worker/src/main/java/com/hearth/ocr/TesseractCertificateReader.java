package com.hearth.ocr;

import com.hearth.ocr.RecognisedText.Line;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

/**
 * Reads certificates with Tesseract: decodes the upload ({@link PageImages}), prepares each page
 * ({@link Preprocessor}), recognises it, and extracts the fields ({@link FieldExtractor}).
 *
 * <p>Tesseract engines are not thread-safe and each holds its language model (about 40 MB), so the
 * reader keeps a fixed pool of {@code concurrency} engines: at most that many pages are recognised
 * at once, and a caller beyond them waits for an engine. Engines are made on first need and closed
 * by {@link #close}.
 */
public final class TesseractCertificateReader implements CertificateReader, AutoCloseable {
  /** Where Debian, Ubuntu and other distributions install the language data. */
  private static final List<String> TESSDATA_DIRECTORIES =
      List.of(
          "/usr/share/tesseract-ocr/5/tessdata",
          "/usr/share/tesseract-ocr/4.00/tessdata",
          "/usr/share/tessdata",
          "/usr/local/share/tessdata",
          "/opt/homebrew/share/tessdata");

  private static final String LANGUAGE = "eng";

  private final Path tessdata;
  private final BlockingQueue<TesseractEngine> idle;
  private final List<TesseractEngine> all = new ArrayList<>();
  private final int concurrency;
  private final FieldExtractor extractor = new FieldExtractor();
  private boolean closed;

  /**
   * @param tessdata the directory holding {@code eng.traineddata}
   * @param concurrency how many pages may be recognised at once (engines kept)
   */
  public TesseractCertificateReader(Path tessdata, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    }
    if (!Files.isRegularFile(tessdata.resolve(LANGUAGE + ".traineddata"))) {
      throw new IllegalStateException(
          "no " + LANGUAGE + ".traineddata in " + tessdata + ": install tesseract-ocr-" + LANGUAGE);
    }
    this.tessdata = tessdata;
    this.concurrency = concurrency;
    this.idle = new ArrayBlockingQueue<>(concurrency);
  }

  /** A reader on the system's language data ({@link #findTessdata}), one engine per core. */
  public static TesseractCertificateReader onSystemTessdata() {
    return new TesseractCertificateReader(
        findTessdata(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * The directory of Tesseract's language data: {@code TESSDATA_PREFIX} when set (the variable
   * Tesseract itself reads), else the first of the usual install places that holds English.
   */
  public static Path findTessdata() {
    String prefix = System.getenv("TESSDATA_PREFIX");
    Stream<String> candidates =
        prefix == null || prefix.isBlank()
            ? TESSDATA_DIRECTORIES.stream()
            : Stream.of(prefix, Path.of(prefix).resolve("tessdata").toString());
    Optional<Path> found =
        candidates
            .map(Path::of)
            .filter(p -> Files.isRegularFile(p.resolve(LANGUAGE + ".traineddata")))
            .findFirst();
    return found.orElseThrow(
        () ->
            new IllegalStateException(
                "Tesseract's English language data was not found (looked in "
                    + (prefix == null || prefix.isBlank()
                        ? TESSDATA_DIRECTORIES
                        : "TESSDATA_PREFIX=" + prefix)
                    + "): install tesseract-ocr and tesseract-ocr-eng"));
  }

  @Override
  public Extraction read(byte[] content, String mediaType) throws UnreadableDocumentException {
    Recognised recognised = recognise(content, mediaType);
    RecognisedText text = recognised.text();
    if (text.isEmpty()) {
      throw new UnreadableDocumentException("no text was found in the document");
    }
    Map<CertificateField, ExtractedField> fields = extractor.extract(text);
    return new Extraction(fields, recognised.pages(), text.meanConfidence());
  }

  /** The recognised text of a document's pages, in order, and how many pages it has. */
  record Recognised(RecognisedText text, int pages) {}

  Recognised recognise(byte[] content, String mediaType) throws UnreadableDocumentException {
    List<Line> lines = new ArrayList<>();
    int pages =
        PageImages.decode(
            content,
            mediaType,
            new PageImages.PageConsumer() {
              private int page;

              @Override
              public void accept(PageImages.Page decoded) {
                Preprocessor.Prepared prepared =
                    Preprocessor.prepare(decoded.image(), decoded.dpi());
                int index = page++;
                lines.addAll(
                    withEngine(
                        engine -> engine.recognise(prepared.image(), prepared.dpi(), index)));
              }
            });
    return new Recognised(new RecognisedText(lines), pages);
  }

  private interface EngineWork<T> {
    T apply(TesseractEngine engine);
  }

  private <T> T withEngine(EngineWork<T> work) {
    TesseractEngine engine = borrow();
    try {
      return work.apply(engine);
    } finally {
      giveBack(engine);
    }
  }

  private synchronized void giveBack(TesseractEngine engine) {
    if (closed) {
      engine.close();
      all.remove(engine);
    } else {
      idle.add(engine);
    }
  }

  private TesseractEngine borrow() {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the certificate reader is closed");
      }
      TesseractEngine engine = idle.poll();
      if (engine != null) {
        return engine;
      }
      if (all.size() < concurrency) {
        TesseractEngine made = new TesseractEngine(tessdata, LANGUAGE);
        all.add(made);
        return made;
      }
    }
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a Tesseract engine", e);
    }
  }

  /** Closes the idle engines now and the busy ones as their pages finish; later reads fail. */
  @Override
  public synchronized void close() {
    closed = true;
    TesseractEngine engine;
    while ((engine = idle.poll()) != null) {
      engine.close();
      all.remove(engine);
    }
  }
}
