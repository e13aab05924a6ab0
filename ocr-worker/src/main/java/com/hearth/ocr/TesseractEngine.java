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
          "Tesseract could not load language '" + language + "' from " + tessdata
              + " (install tesseract-ocr-" + language + ", or set TESSDATA_PREFIX)");
    }
    API.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
    // Certificates hold short fields in columns: sparse text with orientation-free segmentation
    // loses fewer of them than the block layout analysis.
    API.TessBaseAPISetPageSegMode(handle, TessPageSegMode.PSM_AUTO);
    API.TessBaseAPISetVariable(handle, "preserve_interword_spaces", "0");
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
    int stride = gray.getRaster().getSampleModel() instanceof java.awt.image.ComponentSampleModel m
        ? m.getScanlineStride() : width;
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

  /** A recognised word and its box, before words are grouped into rows. */
  private record Boxed(String text, double confidence, int left, int top, int right, int bottom) {
    double middle() {
      return (top + bottom) / 2.0;
    }
  }

  private List<Line> lines(int page) {
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
        if (word.isEmpty()) {
          continue;
        }
        float confidence = API.TessResultIteratorConfidence(iterator, TessPageIteratorLevel.RIL_WORD);
        API.TessPageIteratorBoundingBox(pageIterator, TessPageIteratorLevel.RIL_WORD, left, top, right, bottom);
        words.add(new Boxed(word, Math.max(0.0, Math.min(1.0, confidence / 100.0)), left.get(0), top.get(0),
            right.get(0), bottom.get(0)));
      } while (API.TessResultIteratorNext(iterator, TessPageIteratorLevel.RIL_WORD) == ITessAPI.TRUE);
    } finally {
      API.TessResultIteratorDelete(iterator);
    }
    return rows(words, page);
  }

  /**
   * Groups words into rows by their boxes rather than Tesseract's blocks: Tesseract reads a
   * table's label column and then its value column, while a row of the page keeps each label next
   * to its value. A word joins the row whose vertical span holds its middle.
   */
  static List<Line> rows(List<Boxed> words, int page) {
    List<Boxed> sorted = new ArrayList<>(words);
    sorted.sort(java.util.Comparator.comparingDouble(Boxed::middle));
    List<List<Boxed>> rows = new ArrayList<>();
    List<Boxed> row = new ArrayList<>();
    double rowTop = 0;
    double rowBottom = 0;
    for (Boxed word : sorted) {
      if (!row.isEmpty() && (word.middle() > rowBottom || word.middle() < rowTop)) {
        rows.add(row);
        row = new ArrayList<>();
      }
      if (row.isEmpty()) {
        rowTop = word.top();
        rowBottom = word.bottom();
      }
      row.add(word);
    }
    if (!row.isEmpty()) {
      rows.add(row);
    }
    List<Line> lines = new ArrayList<>();
    for (List<Boxed> r : rows) {
      r.sort(java.util.Comparator.comparingInt(Boxed::left));
      int[] heights = r.stream().mapToInt(b -> b.bottom() - b.top()).sorted().toArray();
      int height = Math.max(1, heights[heights.length / 2]);
      List<Word> lineWords = new ArrayList<>();
      for (Boxed b : r) {
        lineWords.add(new Word(b.text(), b.confidence(), b.left(), b.right(), height));
      }
      lines.add(new Line(page, lineWords));
    }
    return lines;
  }

  @Override
  public void close() {
    API.TessBaseAPIEnd(handle);
    API.TessBaseAPIDelete(handle);
  }
}
