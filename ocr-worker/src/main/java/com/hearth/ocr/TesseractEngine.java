package com.hearth.ocr;

import com.hearth.ocr.RecognisedText.Line;
import com.hearth.ocr.RecognisedText.Word;
import com.sun.jna.Pointer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.tess4j.ITessAPI;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageIterator;
import net.sourceforge.tess4j.ITessAPI.TessPageIteratorLevel;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;
import net.sourceforge.tess4j.ITessAPI.TessResultIterator;
import net.sourceforge.tess4j.TessAPI;
import net.sourceforge.tess4j.util.LoadLibs;

/**
 * One Tesseract engine (a {@code TessBaseAPI} handle) on the system's libtesseract, loaded once and
 * reused page after page. Tess4J's {@code Tesseract} class loads the language model again on every
 * call; this keeps it. Not thread-safe: one thread at a time (the reader keeps a pool).
 */
final class TesseractEngine implements AutoCloseable {
  /**
   * Bound on first use of each function, unlike Tess4J's {@code TessAPI1}, which binds them all at
   * once and fails on libtesseract 5.3 for lack of a renderer this class never calls.
   */
  private static final TessAPI API = LoadLibs.getTessAPIInstance();

  private final TessBaseAPI handle;

  TesseractEngine(Path tessdata, String language) {
    handle = API.TessBaseAPICreate();
    // Warnings such as "Estimating resolution" go to a file Tesseract would otherwise create.
    API.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
    if (API.TessBaseAPIInit3(handle, tessdata.toString(), language) != 0) {
      API.TessBaseAPIDelete(handle);
      throw new IllegalStateException(
          "Tesseract could not load language '"
              + language
              + "' from "
              + tessdata
              + " (install tesseract-ocr-"
              + language
              + ", or set TESSDATA_PREFIX)");
    }
    API.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
    // Automatic segmentation: the rows of a table or form are put back together afterwards.
    API.TessBaseAPISetPageSegMode(handle, TessPageSegMode.PSM_AUTO);
  }

  /** Recognises one 8-bit grey page scanned at {@code dpi}; its lines carry {@code page}. */
  List<Line> recognise(BufferedImage gray, int dpi, int page) {
    if (gray.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      throw new IllegalArgumentException("expected an 8-bit grey image");
    }
    int width = gray.getWidth();
    int height = gray.getHeight();
    byte[] pixels = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    ByteBuffer buffer = ByteBuffer.allocateDirect(width * height);
    int stride =
        gray.getRaster().getSampleModel() instanceof java.awt.image.ComponentSampleModel m
            ? m.getScanlineStride()
            : width;
    for (int y = 0; y < height; y++) {
      buffer.put(pixels, y * stride, width);
    }
    buffer.flip();
    API.TessBaseAPISetImage(handle, buffer, width, height, 1, width);
    API.TessBaseAPISetSourceResolution(handle, dpi);
    try {
      if (API.TessBaseAPIRecognize(handle, null) != 0) {
        throw new IllegalStateException("Tesseract failed to recognise page " + (page + 1));
      }
      return lines(page);
    } finally {
      API.TessBaseAPIClear(handle);
    }
  }

  /**
   * Whether a "word" is a form's ruling or a box's edge read as text ("|", "_", "—", "[", ...): no
   * letter or digit in it. Such words would close the gap between a table's columns. A '#' stays:
   * it is a label ("Permit #:").
   */
  static boolean isLineArt(String word) {
    return !word.contains("#") && word.codePoints().noneMatch(Character::isLetterOrDigit);
  }

  /** A recognised word and its box, before words are grouped into rows. */
  private record Boxed(String text, double confidence, int left, int top, int right, int bottom) {
    double middle() {
      return (top + bottom) / 2.0;
    }
  }

  private List<Line> lines(int page) {
    List<List<Boxed>> textLines = new ArrayList<>();
    List<Boxed> words = new ArrayList<>();
    TessResultIterator iterator = API.TessBaseAPIGetIterator(handle);
    if (iterator == null) {
      return List.of();
    }
    try {
      TessPageIterator pageIterator = API.TessResultIteratorGetPageIterator(iterator);
      IntBuffer left = IntBuffer.allocate(1);
      IntBuffer top = IntBuffer.allocate(1);
      IntBuffer right = IntBuffer.allocate(1);
      IntBuffer bottom = IntBuffer.allocate(1);
      do {
        if (API.TessPageIteratorIsAtBeginningOf(pageIterator, TessPageIteratorLevel.RIL_TEXTLINE)
                == ITessAPI.TRUE
            && !words.isEmpty()) {
          textLines.add(words);
          words = new ArrayList<>();
        }
        Pointer text = API.TessResultIteratorGetUTF8Text(iterator, TessPageIteratorLevel.RIL_WORD);
        if (text == null) {
          continue;
        }
        String word;
        try {
          word = text.getString(0, "UTF-8").strip();
        } finally {
          API.TessDeleteText(text);
        }
        if (isLineArt(word)) {
          continue;
        }
        float confidence =
            API.TessResultIteratorConfidence(iterator, TessPageIteratorLevel.RIL_WORD);
        API.TessPageIteratorBoundingBox(
            pageIterator, TessPageIteratorLevel.RIL_WORD, left, top, right, bottom);
        words.add(
            new Boxed(
                word,
                Math.max(0.0, Math.min(1.0, confidence / 100.0)),
                left.get(0),
                top.get(0),
                right.get(0),
                bottom.get(0)));
      } while (API.TessResultIteratorNext(iterator, TessPageIteratorLevel.RIL_WORD)
          == ITessAPI.TRUE);
      if (!words.isEmpty()) {
        textLines.add(words);
      }
    } finally {
      API.TessResultIteratorDelete(iterator);
    }
    return rows(textLines, page);
  }

  /**
   * Joins Tesseract's text lines into rows of the page: Tesseract reads a table's label column and
   * then its value column, while a row keeps each label next to its value. A line joins a row when
   * it lies beside the row's nearest line (no horizontal overlap) and shares at least half its
   * height with it, so that rows follow text that slopes a little (a photo's perspective).
   */
  static List<Line> rows(List<List<Boxed>> textLines, int page) {
    List<TextLine> lines = new ArrayList<>();
    for (List<Boxed> words : textLines) {
      lines.add(new TextLine(words));
    }
    lines.sort(java.util.Comparator.comparingInt(TextLine::top));
    List<List<TextLine>> rows = new ArrayList<>();
    for (TextLine line : lines) {
      List<TextLine> joined = null;
      for (List<TextLine> row : rows) {
        if (fitsBeside(row, line)) {
          joined = row;
          break;
        }
      }
      if (joined == null) {
        joined = new ArrayList<>();
        rows.add(joined);
      }
      joined.add(line);
    }
    List<Line> result = new ArrayList<>();
    for (List<TextLine> row : rows) {
      row.sort(java.util.Comparator.comparingInt(TextLine::left));
      int[] heights =
          row.stream()
              .flatMap(l -> l.words().stream())
              .mapToInt(b -> b.bottom() - b.top())
              .sorted()
              .toArray();
      int height = Math.max(1, heights[heights.length / 2]);
      List<Word> words = new ArrayList<>();
      for (TextLine line : row) {
        for (Boxed b : line.words()) {
          words.add(new Word(b.text(), b.confidence(), b.left(), b.right(), height));
        }
      }
      result.add(new Line(page, words));
    }
    result.sort(java.util.Comparator.comparingInt(l -> rowTop(l, rows, result)));
    return result;
  }

  private static int rowTop(Line line, List<List<TextLine>> rows, List<Line> lines) {
    return rows.get(lines.indexOf(line)).stream().mapToInt(TextLine::top).min().orElse(0);
  }

  private static boolean fitsBeside(List<TextLine> row, TextLine line) {
    TextLine nearest = null;
    int distance = Integer.MAX_VALUE;
    for (TextLine other : row) {
      if (other.left() < line.right() && line.left() < other.right()) {
        return false;
      }
      int d = Math.max(other.left() - line.right(), line.left() - other.right());
      if (d < distance) {
        distance = d;
        nearest = other;
      }
    }
    int overlap = Math.min(nearest.bottom(), line.bottom()) - Math.max(nearest.top(), line.top());
    return overlap >= 0.5 * Math.min(nearest.height(), line.height());
  }

  /** One of Tesseract's text lines and its box. */
  private record TextLine(List<Boxed> words, int left, int top, int right, int bottom) {
    TextLine(List<Boxed> words) {
      this(
          words,
          words.stream().mapToInt(Boxed::left).min().orElse(0),
          words.stream().mapToInt(Boxed::top).min().orElse(0),
          words.stream().mapToInt(Boxed::right).max().orElse(0),
          words.stream().mapToInt(Boxed::bottom).max().orElse(0));
    }

    int height() {
      return Math.max(1, bottom - top);
    }
  }

  @Override
  public void close() {
    API.TessBaseAPIEnd(handle);
    API.TessBaseAPIDelete(handle);
  }
}
