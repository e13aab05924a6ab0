package com.hearth.ocr;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dates in recognised text, in the ways certificates write them: ISO ({@code 2027-03-05}),
 * numeric with slashes, dashes or dots in either day order ({@code 03/05/2027}, {@code 5.3.2027}),
 * and written-out months ({@code March 5, 2027}, {@code 5 March 2027}, {@code 05-MAR-2027}, {@code
 * 5th of March 2027}). Letters Tesseract confuses with digits inside numbers (O, I, l, S, B) are
 * read as digits, at a lower quality.
 *
 * <p>Which of day and month comes first in a numeric date is decided per document ({@link
 * #dayOrder}): a first number above 12 anywhere means day first, a second one above 12 means month
 * first; with no such evidence the month comes first (the US way) and the date's quality is low.
 */
final class DateReader {
  /** The year range accepted: certificates of the last decades and the next ones. */
  private static final int MIN_YEAR = 1990;

  private static final int MAX_YEAR = 2100;

  private static final String[] MONTHS = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"
  };

  private static final String SEP = "\\s*[-/.]\\s*";
  private static final String ORDINAL = "(?:st|nd|rd|th)?";
  private static final Pattern ISO =
      Pattern.compile("(?<![0-9])(\\d{4})" + SEP + "(\\d{1,2})" + SEP + "(\\d{1,2})(?![0-9])");
  private static final Pattern NUMERIC =
      Pattern.compile(
          "(?<![0-9])(\\d{1,2})" + SEP + "(\\d{1,2})" + SEP + "(\\d{4}|\\d{2})(?![0-9])");
  private static final Pattern MONTH_FIRST =
      Pattern.compile(
          "(?i)(?<![a-z])([a-z]{3,10})\\.?\\s*[-\\s]\\s*(\\d{1,2})"
              + ORDINAL
              + "\\s*[-,.\\s]\\s*(\\d{4})(?![0-9])");
  private static final Pattern DAY_FIRST =
      Pattern.compile(
          "(?i)(?<![0-9])(\\d{1,2})"
              + ORDINAL
              + "\\s*(?:of\\s+)?[-\\s]?\\s*([a-z]{3,10})\\.?\\s*[-,.\\s]\\s*(\\d{4})(?![0-9])");
  private static final Pattern DIGIT_LIKE = Pattern.compile("[0-9OoIl|SB]+");

  /** The day order a document's numeric dates follow. */
  enum DayOrder {
    MONTH_FIRST,
    DAY_FIRST,
    /** Nothing in the document tells; month first is assumed, with low quality. */
    UNKNOWN
  }

  /**
   * A date found at {@code [start, end)} of the text searched, with the quality of the match in [0,
   * 1]: 1 for an unambiguous spelling, less for a guessed day order, a two-digit year, a misspelt
   * month or letters read as digits.
   */
  record Found(LocalDate date, int start, int end, double quality) {}

  private DateReader() {}

  /** Every date in {@code text}, left to right, without overlaps. */
  static List<Found> findAll(String text, DayOrder order) {
    Normalised normalised = normaliseDigits(text);
    String s = normalised.text();
    List<Found> found = new ArrayList<>();
    Matcher iso = ISO.matcher(s);
    while (iso.find()) {
      date(int_(iso.group(1)), int_(iso.group(2)), int_(iso.group(3)))
          .ifPresent(d -> found.add(new Found(d, iso.start(), iso.end(), 1.0)));
    }
    written(MONTH_FIRST.matcher(s), 1, 2, found);
    written(DAY_FIRST.matcher(s), 2, 1, found);
    Matcher numeric = NUMERIC.matcher(s);
    while (numeric.find()) {
      int a = int_(numeric.group(1));
      int b = int_(numeric.group(2));
      String yearText = numeric.group(3);
      int year = yearText.length() == 2 ? 2000 + int_(yearText) : int_(yearText);
      double quality = yearText.length() == 2 ? 0.8 : 1.0;
      Optional<LocalDate> date;
      if (a > 12) {
        date = date(year, b, a);
      } else if (b > 12) {
        date = date(year, a, b);
      } else if (a == b) {
        date = date(year, a, b);
      } else if (order == DayOrder.DAY_FIRST) {
        date = date(year, b, a);
      } else {
        date = date(year, a, b);
        if (order == DayOrder.UNKNOWN) {
          quality *= 0.6;
        }
      }
      double q = quality;
      date.ifPresent(d -> found.add(new Found(d, numeric.start(), numeric.end(), q)));
    }
    List<Found> result = new ArrayList<>();
    found.sort(
        (x, y) ->
            x.start() != y.start()
                ? Integer.compare(x.start(), y.start())
                : Integer.compare(y.end(), x.end()));
    int end = -1;
    for (Found f : found) {
      if (f.start() >= end) {
        double quality =
            normalised.changedWithin(f.start(), f.end()) ? f.quality() * 0.85 : f.quality();
        result.add(new Found(f.date(), f.start(), f.end(), quality));
        end = f.end();
      }
    }
    return result;
  }

  /** Dates with a written-out month, its name and day in the groups given, the year in group 3. */
  private static void written(Matcher matcher, int monthGroup, int dayGroup, List<Found> found) {
    while (matcher.find()) {
      Optional<Month> month = monthOf(matcher.group(monthGroup));
      if (month.isPresent()) {
        Optional<LocalDate> date =
            date(int_(matcher.group(3)), month.get().month(), int_(matcher.group(dayGroup)));
        if (date.isPresent()) {
          found.add(new Found(date.get(), matcher.start(), matcher.end(), month.get().quality()));
        }
      }
    }
  }

  /** The first date in {@code text}. */
  static Optional<Found> first(String text, DayOrder order) {
    List<Found> all = findAll(text, order);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** The day order a document's numeric dates follow, from those that can only be read one way. */
  static DayOrder dayOrder(String documentText) {
    Matcher numeric = NUMERIC.matcher(normaliseDigits(documentText).text());
    boolean dayFirst = false;
    boolean monthFirst = false;
    while (numeric.find()) {
      int a = int_(numeric.group(1));
      int b = int_(numeric.group(2));
      dayFirst |= a > 12 && b <= 12;
      monthFirst |= b > 12 && a <= 12;
    }
    if (dayFirst == monthFirst) {
      return DayOrder.UNKNOWN;
    }
    return dayFirst ? DayOrder.DAY_FIRST : DayOrder.MONTH_FIRST;
  }

  private record Month(int month, double quality) {}

  private static Optional<Month> monthOf(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (int i = 0; i < MONTHS.length; i++) {
      String name = MONTHS[i];
      if (w.equals(name) || w.equals(name.substring(0, 3)) || (i == 8 && w.equals("sept"))) {
        return Optional.of(new Month(i + 1, 1.0));
      }
    }
    if (w.length() >= 5) {
      for (int i = 0; i < MONTHS.length; i++) {
        if (Similarity.distance(w, MONTHS[i]) == 1) {
          return Optional.of(new Month(i + 1, 0.85));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<LocalDate> date(int year, int month, int day) {
    if (year < MIN_YEAR || year > MAX_YEAR) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.of(year, month, day));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static int int_(String digits) {
    return Integer.parseInt(digits);
  }

  /** The text with digit-like letters inside mostly-numeric tokens read as digits. */
  private record Normalised(String text, boolean[] changed) {
    boolean changedWithin(int start, int end) {
      for (int i = start; i < end; i++) {
        if (changed[i]) {
          return true;
        }
      }
      return false;
    }
  }

  private static Normalised normaliseDigits(String text) {
    char[] chars = text.toCharArray();
    boolean[] changed = new boolean[chars.length];
    Matcher token = Pattern.compile("[^\\s/.,:-]+").matcher(text);
    while (token.find()) {
      String t = token.group();
      long digits = t.chars().filter(Character::isDigit).count();
      if (digits == 0 || digits * 2 < t.length() || !DIGIT_LIKE.matcher(t).matches()) {
        continue;
      }
      for (int i = token.start(); i < token.end(); i++) {
        char c = chars[i];
        char d =
            switch (c) {
              case 'O', 'o' -> '0';
              case 'I', 'l', '|' -> '1';
              case 'S' -> '5';
              case 'B' -> '8';
              default -> c;
            };
        if (d != c) {
          chars[i] = d;
          changed[i] = true;
        }
      }
    }
    return new Normalised(new String(chars), changed);
  }
}
