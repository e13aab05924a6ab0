package com.hearth.ocr;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text Tesseract recognised on a document's pages: lines of words in reading order, each word
 * with its confidence and horizontal position, so that extraction can tell a label's value on the
 * same line from the next column.
 */
public record RecognisedText(List<Line> lines) {
  public RecognisedText {
    lines = List.copyOf(lines);
  }

  /**
   * One recognised word.
   *
   * @param confidence Tesseract's word confidence scaled to [0, 1]
   * @param left left edge in pixels
   * @param right right edge in pixels
   * @param height the line's text height in pixels (the page's scale for gaps)
   */
  public record Word(String text, double confidence, int left, int right, int height) {}

  /** One text line, words left to right; {@code page} counts from 0. */
  public record Line(int page, List<Word> words) {
    public Line {
      words = List.copyOf(words);
    }

    public String text() {
      return words.stream().map(Word::text).collect(Collectors.joining(" "));
    }

    /**
     * The line cut where the gap between two words is wider than about three characters: a table
     * row's label and value, or two columns, become separate segments.
     */
    public List<Line> segments() {
      List<Line> segments = new ArrayList<>();
      List<Word> current = new ArrayList<>();
      for (Word word : words) {
        if (!current.isEmpty()) {
          Word previous = current.get(current.size() - 1);
          int gap = word.left() - previous.right();
          int scale = Math.max(1, Math.max(previous.height(), word.height()));
          if (gap > 2 * scale) {
            segments.add(new Line(page, current));
            current = new ArrayList<>();
          }
        }
        current.add(word);
      }
      if (!current.isEmpty()) {
        segments.add(new Line(page, current));
      }
      return segments;
    }

    public int left() {
      return words.isEmpty() ? 0 : words.get(0).left();
    }
  }

  /** The mean word confidence, or 0 when nothing was recognised. */
  public double meanConfidence() {
    return lines.stream()
        .flatMap(line -> line.words().stream())
        .mapToDouble(Word::confidence)
        .average()
        .orElse(0.0);
  }

  public boolean isEmpty() {
    return lines.stream().allMatch(line -> line.words().isEmpty());
  }

  /**
   * Text written as lines of words, for tests and tools: each word gets the given confidence, words
   * are half a character-height apart, and three or more spaces start the next column (columns
   * start every 40 characters, so that they line up from one line to the next).
   */
  public static RecognisedText of(double confidence, String... lines) {
    List<Line> result = new ArrayList<>();
    int height = 20;
    for (String line : lines) {
      List<Word> words = new ArrayList<>();
      int x = 0;
      int columnIndex = 0;
      for (String column : line.strip().split(" {3,}")) {
        x = Math.max(x, columnIndex++ * 40 * height / 2);
        for (String token : column.strip().split("\\s+")) {
          if (token.isEmpty()) {
            continue;
          }
          int width = token.length() * height / 2;
          words.add(new Word(token, confidence, x, x + width, height));
          x += width + height / 2;
        }
        x += 3 * height;
      }
      result.add(new Line(0, words));
    }
    return new RecognisedText(result);
  }
}
