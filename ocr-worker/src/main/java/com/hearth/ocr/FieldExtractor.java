package com.hearth.ocr;

import com.hearth.engine.compliance.DocumentType;
import com.hearth.ocr.DateReader.DayOrder;
import com.hearth.ocr.RecognisedText.Line;
import com.hearth.ocr.RecognisedText.Word;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns recognised text into a certificate's fields. No OCR here: lines of words with their
 * confidences in, fields with theirs out.
 *
 * <p>A field is found by its label ("Expiration Date:", "Permit No.", "Issued to", ...; matched
 * word by word, tolerating a misread letter), and its value is read after the label on the same
 * line, else in the next column of that line, else on the line below under the label. Dates also
 * come from running text ("valid from ... until ..."), the issuing authority from the letterhead,
 * the document type from keywords weighted by their size on the page.
 *
 * <p>A field's confidence multiplies three things: Tesseract's confidence in the value's words
 * (their mean, pulled down by the weakest), how well the label matched, and how well the value
 * matched its pattern (a guessed day order, letters read as digits, a value found by position only
 * all lower it).
 */
public final class FieldExtractor {
  private static final Pattern HAS_DIGIT = Pattern.compile(".*\\d.*");
  private static final Pattern HAS_LETTER = Pattern.compile(".*\\p{L}.*");
  private static final Pattern ID_TOKEN = Pattern.compile("[A-Z0-9#/.\\-]*[A-Z0-9][A-Z0-9#/.\\-]*");
  private static final Pattern CITY_LINE =
      Pattern.compile(
          ".*(,\\s*[A-Z]{2}\\b|\\b\\d{5}(-\\d{4})?\\b|\\b[A-Z]\\d[A-Z] ?\\d[A-Z]\\d\\b).*");

  /** A label: its words, lower case without punctuation, and the field it introduces. */
  private record Label(Kind kind, List<String> words) {
    static Label of(Kind kind, String phrase) {
      return new Label(kind, List.of(phrase.split(" ")));
    }
  }

  /** What a label introduces: a field, or a period that holds both dates. */
  private enum Kind {
    HOLDER,
    NUMBER,
    AUTHORITY,
    ISSUE,
    EXPIRY,
    ADDRESS,
    PERIOD
  }

  private static final List<Label> LABELS = labels();

  private static List<Label> labels() {
    List<Label> labels = new ArrayList<>();
    for (String p :
        List.of(
            "business name",
            "name of business",
            "name of establishment",
            "establishment name",
            "establishment",
            "permit holder",
            "permittee",
            "licensee",
            "licence holder",
            "license holder",
            "certificate holder name",
            "holder",
            "issued to",
            "named insured",
            "insured",
            "occupant name",
            "occupant",
            "trade name",
            "dba",
            "name",
            "owner",
            "operator",
            "facility name",
            "facility",
            "this is to certify that",
            "this certifies that",
            "certify that",
            "awarded to",
            "presented to",
            "granted to")) {
      labels.add(Label.of(Kind.HOLDER, p));
    }
    for (String noun :
        List.of(
            "permit",
            "licence",
            "license",
            "certificate",
            "cert",
            "policy",
            "registration",
            "inspection",
            "report",
            "account",
            "reference")) {
      for (String suffix : List.of("no", "number", "#", "nr", "num", "id")) {
        labels.add(Label.of(Kind.NUMBER, noun + " " + suffix));
      }
    }
    labels.add(Label.of(Kind.NUMBER, "no"));
    labels.add(Label.of(Kind.NUMBER, "number"));
    for (String p :
        List.of(
            "issued by",
            "issuing authority",
            "issuing agency",
            "issuing office",
            "authority",
            "agency",
            "insurer",
            "insurance company",
            "underwriter",
            "insurer affording coverage",
            "inspected by",
            "certified by")) {
      labels.add(Label.of(Kind.AUTHORITY, p));
    }
    for (String p :
        List.of(
            "issue date",
            "date of issue",
            "date issued",
            "issued on",
            "issued",
            "effective date",
            "effective",
            "date of inspection",
            "inspection date",
            "policy effective",
            "valid from",
            "date of certification",
            "certification date",
            "date certified")) {
      labels.add(Label.of(Kind.ISSUE, p));
    }
    for (String p :
        List.of(
            "expiration date",
            "expiration",
            "expiry date",
            "expiry",
            "expires",
            "expires on",
            "exp date",
            "exp",
            "valid until",
            "valid through",
            "valid thru",
            "date of expiry",
            "date of expiration",
            "good through",
            "policy expiration",
            "expiring",
            "renewal date",
            "valid to")) {
      labels.add(Label.of(Kind.EXPIRY, p));
    }
    for (String p :
        List.of(
            "address",
            "business address",
            "premises address",
            "premises",
            "location",
            "site address",
            "facility address",
            "location address",
            "located at",
            "mailing address",
            "insured address")) {
      labels.add(Label.of(Kind.ADDRESS, p));
    }
    for (String p : List.of("policy period", "period", "term", "validity", "valid")) {
      labels.add(Label.of(Kind.PERIOD, p));
    }
    labels.sort(Comparator.comparingInt((Label l) -> -l.words().size()));
    return List.copyOf(labels);
  }

  private static final Map<DocumentType, List<String>> TYPE_KEYWORDS =
      Map.of(
          DocumentType.HEALTH_PERMIT,
              List.of(
                  "health permit",
                  "permit to operate",
                  "food service establishment",
                  "food establishment permit",
                  "public health",
                  "environmental health",
                  "health department",
                  "retail food"),
          DocumentType.FOOD_HANDLER_CERTIFICATE,
              List.of(
                  "food handler",
                  "food handlers",
                  "food safety",
                  "food protection",
                  "servsafe",
                  "food manager",
                  "has successfully completed",
                  "food hygiene"),
          DocumentType.BUSINESS_LICENCE,
              List.of(
                  "business licence",
                  "business license",
                  "business tax",
                  "licence to conduct",
                  "license to conduct",
                  "business registration",
                  "licensing",
                  "general business"),
          DocumentType.LIABILITY_INSURANCE,
              List.of(
                  "liability insurance",
                  "general liability",
                  "certificate of insurance",
                  "insurance",
                  "insured",
                  "policy",
                  "coverage",
                  "each occurrence"),
          DocumentType.FIRE_INSPECTION,
              List.of(
                  "fire inspection",
                  "fire safety",
                  "fire marshal",
                  "fire department",
                  "fire prevention",
                  "fire code",
                  "fire and rescue",
                  "inspection certificate"));

  private static final List<String> AUTHORITY_WORDS =
      List.of(
          "department",
          "dept",
          "county",
          "city",
          "state",
          "board",
          "agency",
          "authority",
          "bureau",
          "office",
          "division",
          "commission",
          "ministry",
          "council",
          "fire",
          "insurance",
          "company",
          "mutual",
          "assurance",
          "services",
          "association",
          "institute",
          "district",
          "municipality",
          "borough",
          "township",
          "government",
          "underwriters");

  private static final List<String> TITLE_WORDS =
      List.of(
          "permit",
          "licence",
          "license",
          "certificate",
          "certification",
          "policy",
          "certifies",
          "certify",
          "report");

  /**
   * A candidate value: Tesseract's confidence in its words (their mean, pulled down by the weakest)
   * and the quality of the match.
   */
  private record Candidate(String value, double wordConfidence, double quality) {
    Candidate(String value, List<Word> words, double quality) {
      this(value, wordConfidence(words), quality);
    }

    static double wordConfidence(List<Word> words) {
      double mean = words.stream().mapToDouble(Word::confidence).average().orElse(0.0);
      double min = words.stream().mapToDouble(Word::confidence).min().orElse(0.0);
      return 0.5 * mean + 0.5 * min;
    }

    double confidence() {
      return clamp(wordConfidence * quality);
    }

    Candidate times(double factor) {
      return new Candidate(value, wordConfidence, quality * factor);
    }
  }

  /** A label found in a segment: the words after it and what stood around it. */
  private record LabelHit(
      Label label, double quality, int lineIndex, Line segment, int after, boolean inText) {
    List<Word> rest() {
      return segment.words().subList(after, segment.words().size());
    }
  }

  /** Reads the fields of one document's recognised text. */
  public Map<CertificateField, ExtractedField> extract(RecognisedText text) {
    Map<CertificateField, ExtractedField> fields = new EnumMap<>(CertificateField.class);
    if (text.isEmpty()) {
      return fields;
    }
    List<Line> lines = text.lines();
    DayOrder order =
        DateReader.dayOrder(lines.stream().map(Line::text).collect(Collectors.joining("\n")));
    List<LabelHit> hits = findLabels(lines);

    documentType(lines).ifPresent(c -> put(fields, CertificateField.DOCUMENT_TYPE, c));
    best(hits, Kind.HOLDER, hit -> holder(hit, lines))
        .ifPresent(c -> put(fields, CertificateField.HOLDER_NAME, c));
    best(hits, Kind.NUMBER, hit -> number(hit, lines))
        .ifPresent(c -> put(fields, CertificateField.LICENCE_NUMBER, c));
    best(hits, Kind.ADDRESS, hit -> address(hit, lines))
        .ifPresent(c -> put(fields, CertificateField.ADDRESS, c));
    Optional<Candidate> authority = best(hits, Kind.AUTHORITY, hit -> phrase(hit, lines));
    authority
        .or(() -> letterhead(lines))
        .ifPresent(c -> put(fields, CertificateField.ISSUING_AUTHORITY, c));

    Optional<Candidate> issue = best(hits, Kind.ISSUE, hit -> date(hit, lines, order, 0));
    Optional<Candidate> expiry = best(hits, Kind.EXPIRY, hit -> date(hit, lines, order, 0));
    if (issue.isEmpty() || expiry.isEmpty()) {
      Optional<Candidate> periodStart =
          best(hits, Kind.PERIOD, hit -> periodDate(hit, lines, order, 0));
      Optional<Candidate> periodEnd =
          best(hits, Kind.PERIOD, hit -> periodDate(hit, lines, order, 1));
      if (issue.isEmpty()) {
        issue =
            periodStart.or(() -> best(hits, Kind.ISSUE, hit -> periodDate(hit, lines, order, 0)));
      }
      if (expiry.isEmpty()) {
        expiry =
            periodEnd.or(() -> best(hits, Kind.ISSUE, hit -> periodDate(hit, lines, order, 1)));
      }
    }
    if (issue.isEmpty() || expiry.isEmpty()) {
      // a label too garbled to match: the other dates of the page, by position in time
      List<Candidate> dates = unlabelledDates(lines, order);
      if (issue.isEmpty() && expiry.isEmpty() && dates.size() == 2) {
        issue = Optional.of(dates.get(0));
        expiry = Optional.of(dates.get(1));
      } else if (issue.isEmpty() && expiry.isPresent()) {
        LocalDate end = LocalDate.parse(expiry.get().value());
        List<Candidate> before =
            dates.stream().filter(c -> LocalDate.parse(c.value()).isBefore(end)).toList();
        issue = before.size() == 1 ? Optional.of(before.get(0)) : issue;
      } else if (expiry.isEmpty() && issue.isPresent()) {
        LocalDate start = LocalDate.parse(issue.get().value());
        List<Candidate> after =
            dates.stream().filter(c -> LocalDate.parse(c.value()).isAfter(start)).toList();
        expiry = after.size() == 1 ? Optional.of(after.get(0)) : expiry;
      }
    }
    issue.ifPresent(c -> put(fields, CertificateField.ISSUE_DATE, c));
    expiry.ifPresent(c -> put(fields, CertificateField.EXPIRY_DATE, c));
    return fields;
  }

  private static void put(
      Map<CertificateField, ExtractedField> fields, CertificateField field, Candidate c) {
    fields.put(field, new ExtractedField(c.value(), c.confidence()));
  }

  private interface Reader {
    Optional<Candidate> read(LabelHit hit);
  }

  /** The most confident value over every label of a kind (the earliest wins a tie). */
  private static Optional<Candidate> best(List<LabelHit> hits, Kind kind, Reader reader) {
    Candidate best = null;
    for (LabelHit hit : hits) {
      if (hit.label().kind() != kind) {
        continue;
      }
      Optional<Candidate> candidate = reader.read(hit);
      if (candidate.isPresent()
          && (best == null || candidate.get().confidence() > best.confidence())) {
        best = candidate.get();
      }
    }
    return Optional.ofNullable(best);
  }

  // ---------------------------------------------------------------- labels

  private static List<LabelHit> findLabels(List<Line> lines) {
    List<LabelHit> hits = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      for (Line segment : lines.get(i).segments()) {
        List<String> tokens = segment.words().stream().map(w -> labelToken(w.text())).toList();
        int start = 0;
        while (start < tokens.size()) {
          LabelHit hit = labelAt(tokens, start, i, segment);
          if (hit != null) {
            hits.add(hit);
            start = hit.after();
          } else {
            start++;
          }
        }
      }
    }
    return hits;
  }

  /**
   * The best label starting at {@code start}: exact before misread, then the longest. A label may
   * be read glued ("Issuedby") or with a misread letter per word ("Expiratlon"). Inside running
   * text only an exact label counts, and only one of several words or ending with a colon, so that
   * "no" or "insured" in a sentence is not taken for one; a short one-word label ("no", "name")
   * only at a segment's start or after a colon.
   */
  private static LabelHit labelAt(List<String> tokens, int start, int lineIndex, Line segment) {
    boolean afterColon = start > 0 && endsWithColon(segment.words().get(start - 1).text());
    boolean inText = start > 0 && !afterColon;
    LabelHit best = null;
    double bestScore = 0;
    for (Label label : LABELS) {
      String wanted = String.join("", label.words());
      boolean shortLabel =
          wanted.length() <= 4 || (label.words().size() == 1 && isCommonWord(wanted));
      if (shortLabel && inText) {
        continue;
      }
      for (int n = 1; n <= label.words().size() && start + n <= tokens.size(); n++) {
        List<String> read = tokens.subList(start, start + n);
        boolean exact = String.join("", read).equals(wanted);
        boolean fuzzy =
            !exact && n == label.words().size() && !inText && similarWords(read, label.words());
        if (!exact && !fuzzy) {
          continue;
        }
        boolean colon = endsWithColon(segment.words().get(start + n - 1).text());
        if (inText && label.words().size() == 1 && !colon) {
          continue;
        }
        double quality = exact ? 1.0 : 0.85;
        if (inText) {
          quality *= 0.85;
        }
        if (shortLabel && !colon && start + n < tokens.size()) {
          quality *= 0.8;
        }
        double score = (exact ? 100 : 0) + wanted.length();
        if (score > bestScore) {
          bestScore = score;
          best = new LabelHit(label, quality, lineIndex, segment, start + n, inText && !colon);
        }
      }
    }
    return best;
  }

  /**
   * Word by word, each misread by at most one letter in five; words of three letters or less exact.
   */
  private static boolean similarWords(List<String> read, List<String> wanted) {
    for (int i = 0; i < wanted.size(); i++) {
      String a = read.get(i);
      String b = wanted.get(i);
      if (!(a.equals(b) || (b.length() >= 4 && Similarity.ratio(a, b) >= 0.75))) {
        return false;
      }
    }
    return String.join("", wanted).length() >= 5;
  }

  private static boolean isCommonWord(String word) {
    return List.of(
            "name",
            "holder",
            "owner",
            "operator",
            "number",
            "issued",
            "effective",
            "period",
            "term",
            "valid",
            "premises",
            "location",
            "insured",
            "facility",
            "agency",
            "authority",
            "establishment",
            "expiring",
            "validity",
            "issuer",
            "address")
        .contains(word);
  }

  private static boolean endsWithColon(String text) {
    return text.endsWith(":") || text.endsWith(";");
  }

  /** A word as labels are matched: lower case, letters, digits and '#' only. */
  private static String labelToken(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}#]", "");
  }

  // ---------------------------------------------------------------- where a value is

  /**
   * The places a label's value may be, in order: after it on the same segment, the next segment of
   * the line (a table's value column), the line below under the label (a form's box).
   */
  private static List<Placed> valuePlaces(LabelHit hit, List<Line> lines) {
    List<Placed> places = new ArrayList<>();
    List<Word> rest = stripLeadingPunctuation(hit.rest());
    if (!rest.isEmpty() || hit.inText()) {
      // a phrase inside running text has its value after it, or none
      places.add(new Placed(rest, 1.0, hit.lineIndex()));
      return places;
    }
    Line line = lines.get(hit.lineIndex());
    List<Line> segments = line.segments();
    Placed nextColumn = null;
    for (int s = 0; s < segments.size() - 1; s++) {
      if (segments.get(s).words().equals(hit.segment().words())) {
        Line next = segments.get(s + 1);
        // a form's row of labels: the next column holds another label, not this one's value
        if (!startsWithLabel(next)) {
          nextColumn = new Placed(stripLeadingPunctuation(next.words()), 0.95, hit.lineIndex());
        }
        break;
      }
    }
    Placed below = null;
    int labelLeft = hit.segment().left();
    int labelRight = hit.segment().words().get(hit.segment().words().size() - 1).right();
    for (int j = hit.lineIndex() + 1;
        j < Math.min(lines.size(), hit.lineIndex() + 3) && below == null;
        j++) {
      if (lines.get(j).page() != line.page()) {
        break;
      }
      for (Line segment : lines.get(j).segments()) {
        int belowLeft = segment.left();
        int belowRight = segment.words().get(segment.words().size() - 1).right();
        if (belowLeft <= labelRight && belowRight >= labelLeft) {
          below = new Placed(stripLeadingPunctuation(segment.words()), 0.9, j);
          break;
        }
      }
    }
    // In a form, a row of capitalised labels (the next one misread, so not recognised as a
    // label) stands over its values: the value below, unless it is itself a label (a table).
    boolean labelRow =
        nextColumn != null
            && isUpperCase(hit.segment())
            && isUpperCase(new Line(0, nextColumn.words()));
    if (labelRow && below != null && !startsWithLabel(new Line(0, below.words()))) {
      places.add(below);
      places.add(nextColumn);
    } else {
      if (nextColumn != null) {
        places.add(nextColumn);
      }
      if (below != null) {
        places.add(below);
      }
    }
    return places;
  }

  private static boolean isUpperCase(Line segment) {
    String text = segment.text();
    return text.chars().anyMatch(Character::isLetter) && text.equals(text.toUpperCase(Locale.ROOT));
  }

  private static boolean startsWithLabel(Line segment) {
    List<String> tokens = segment.words().stream().map(w -> labelToken(w.text())).toList();
    LabelHit hit = labelAt(tokens, 0, 0, segment);
    return hit != null && hit.quality() >= 0.85 && hit.after() == tokens.size();
  }

  private record Placed(List<Word> words, double quality, int lineIndex) {}

  private static List<Word> stripLeadingPunctuation(List<Word> words) {
    int i = 0;
    while (i < words.size() && words.get(i).text().replaceAll("[:;#.\\-_|=~]", "").isEmpty()) {
      i++;
    }
    List<Word> result = new ArrayList<>(words.subList(i, words.size()));
    if (!result.isEmpty()) {
      Word first = result.get(0);
      String trimmed = first.text().replaceFirst("^[:;|=~]+", "");
      if (!trimmed.equals(first.text())) {
        result.set(
            0, new Word(trimmed, first.confidence(), first.left(), first.right(), first.height()));
      }
    }
    return result;
  }

  /** Words up to the next label that ends with a colon, so that "Name: X Permit No: Y" splits. */
  private static List<Word> untilNextLabel(List<Word> words) {
    List<String> tokens = words.stream().map(w -> labelToken(w.text())).toList();
    Line line = new Line(0, words);
    for (int i = 1; i < words.size(); i++) {
      LabelHit hit = labelAt(tokens, i, 0, line);
      if (hit != null && endsWithColon(words.get(hit.after() - 1).text())) {
        return words.subList(0, i);
      }
    }
    return words;
  }

  // ---------------------------------------------------------------- field readers

  private static Optional<Candidate> phrase(LabelHit hit, List<Line> lines) {
    for (Placed place : valuePlaces(hit, lines)) {
      List<Word> words = untilNextLabel(place.words());
      String value = clean(words);
      if (HAS_LETTER.matcher(value).matches()
          && value.length() >= 2
          && !looksLikeLabelOnly(value)) {
        return Optional.of(new Candidate(value, words, hit.quality() * place.quality()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Candidate> holder(LabelHit hit, List<Line> lines) {
    return phrase(hit, lines)
        .filter(c -> !looksLikeLabelOnly(c.value()))
        .map(c -> c.value().matches(".*\\d{3,}.*") ? c.times(0.7) : c);
  }

  private static boolean looksLikeLabelOnly(String value) {
    String token = labelToken(value);
    return LABELS.stream().anyMatch(l -> String.join("", l.words()).equals(token));
  }

  private static Optional<Candidate> number(LabelHit hit, List<Line> lines) {
    for (Placed place : valuePlaces(hit, lines)) {
      List<Word> taken = new ArrayList<>();
      double misread = 1.0;
      for (Word word : place.words()) {
        String t = word.text().replaceAll("[,;:]+$", "");
        if (t.contains("@")) {
          // Tesseract's reading of a zero in a blurred identifier
          t = t.replace('@', '0');
          misread = 0.7;
        }
        if (!ID_TOKEN.matcher(t).matches()
            || (taken.size() > 0 && !HAS_DIGIT.matcher(t).matches() && t.length() > 3)) {
          break;
        }
        taken.add(new Word(t, word.confidence(), word.left(), word.right(), word.height()));
        if (taken.size() == 3) {
          break;
        }
      }
      while (!taken.isEmpty() && !HAS_DIGIT.matcher(taken.get(taken.size() - 1).text()).matches()) {
        taken.remove(taken.size() - 1);
      }
      if (taken.isEmpty()) {
        continue;
      }
      String value =
          taken.stream()
              .map(Word::text)
              .collect(Collectors.joining(" "))
              .replaceAll("^[#.\\-]+|[.\\-]+$", "");
      if (value.length() >= 3 && HAS_DIGIT.matcher(value).matches()) {
        return Optional.of(new Candidate(value, taken, hit.quality() * place.quality() * misread));
      }
    }
    return Optional.empty();
  }

  private static Optional<Candidate> address(LabelHit hit, List<Line> lines) {
    for (Placed place : valuePlaces(hit, lines)) {
      List<Word> words = new ArrayList<>(untilNextLabel(place.words()));
      if (words.isEmpty()) {
        continue;
      }
      String value = clean(words);
      if (!CITY_LINE.matcher(value).matches() && place.lineIndex() + 1 < lines.size()) {
        Line next = lines.get(place.lineIndex() + 1);
        Line first = next.segments().get(0);
        for (Line segment : next.segments()) {
          if (Math.abs(segment.left() - words.get(0).left()) <= 2 * words.get(0).height()) {
            first = segment;
          }
        }
        String continuation = clean(first.words());
        if (Math.abs(first.left() - words.get(0).left()) <= 2 * words.get(0).height()
            && CITY_LINE.matcher(continuation).matches()) {
          words.addAll(first.words());
          value = value.replaceAll(",$", "") + ", " + continuation;
        }
      }
      if (HAS_LETTER.matcher(value).matches() && value.length() >= 5) {
        double quality = HAS_DIGIT.matcher(value).matches() ? 1.0 : 0.8;
        return Optional.of(new Candidate(value, words, hit.quality() * place.quality() * quality));
      }
    }
    return Optional.empty();
  }

  private static Optional<Candidate> date(
      LabelHit hit, List<Line> lines, DayOrder order, int index) {
    for (Placed place : valuePlaces(hit, lines)) {
      Optional<Candidate> date =
          nthDate(place.words(), order, index, hit.quality() * place.quality());
      if (date.isPresent()) {
        return date;
      }
    }
    return Optional.empty();
  }

  private static final Pattern UNTIL = Pattern.compile("(?i).*\\b(until|through|thru|to)\\W*$");

  /**
   * The start ({@code index} 0) or end (1) of a period written as two dates after its label ("Valid
   * from X until Y"). When only one of them could be read, the end is the date after "until",
   * "through" or "to", and the start a date not after those words.
   */
  private static Optional<Candidate> periodDate(
      LabelHit hit, List<Line> lines, DayOrder order, int index) {
    double quality = hit.quality() * 0.95;
    for (Placed place : valuePlaces(hit, lines)) {
      String text = joined(place.words());
      List<DateReader.Found> found = DateReader.findAll(text, order);
      if (found.size() >= 2) {
        return nthDate(place.words(), order, index, quality * place.quality());
      }
      if (found.size() == 1) {
        DateReader.Found date = found.get(0);
        boolean isEnd = UNTIL.matcher(text.substring(0, date.start())).matches();
        if (isEnd == (index == 1)) {
          return Optional.of(
              new Candidate(
                  date.date().toString(),
                  wordsWithin(place.words(), date.start(), date.end()),
                  quality * place.quality() * date.quality()));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Candidate> nthDate(
      List<Word> words, DayOrder order, int index, double quality) {
    String text = joined(words);
    List<DateReader.Found> found = DateReader.findAll(text, order);
    if (found.size() <= index) {
      return Optional.empty();
    }
    DateReader.Found date = found.get(index);
    if (index == 0
        && text.substring(0, date.start()).replaceAll("[^\\p{L}\\p{N}]", "").length() > 12) {
      return Optional.empty();
    }
    return Optional.of(
        new Candidate(
            date.date().toString(),
            wordsWithin(words, date.start(), date.end()),
            quality * date.quality()));
  }

  /** Dates standing anywhere, used only when no label was found: ordered by date. */
  private static List<Candidate> unlabelledDates(List<Line> lines, DayOrder order) {
    List<Candidate> dates = new ArrayList<>();
    for (Line line : lines) {
      String text = joined(line.words());
      for (DateReader.Found f : DateReader.findAll(text, order)) {
        dates.add(
            new Candidate(
                f.date().toString(),
                wordsWithin(line.words(), f.start(), f.end()),
                0.5 * f.quality()));
      }
    }
    dates.sort(Comparator.comparing(c -> LocalDate.parse(c.value())));
    return dates;
  }

  /**
   * The authority from the letterhead: the first line near the top that names an office
   * (department, county, city, ...) and is not the document's title.
   */
  private static Optional<Candidate> letterhead(List<Line> lines) {
    for (int i = 0; i < Math.min(6, lines.size()); i++) {
      Line line = lines.get(i);
      if (line.page() != 0) {
        break;
      }
      for (Line segment : line.segments()) {
        String lower = segment.text().toLowerCase(Locale.ROOT);
        List<String> words = List.of(lower.replaceAll("[^\\p{L}\\s]", " ").trim().split("\\s+"));
        boolean office =
            words.stream()
                .anyMatch(
                    w ->
                        AUTHORITY_WORDS.stream()
                            .anyMatch(
                                k ->
                                    w.equals(k)
                                        || (k.length() >= 6 && Similarity.ratio(w, k) >= 0.8)));
        boolean title = words.stream().anyMatch(TITLE_WORDS::contains);
        if (office && !title && segment.words().size() >= 2) {
          return Optional.of(new Candidate(clean(segment.words()), segment.words(), 0.8));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The document type whose keywords weigh most; a keyword in text taller than the page's usual (a
   * title) weighs three times as much. The confidence is the winner's share of the weight.
   */
  private static Optional<Candidate> documentType(List<Line> lines) {
    double[] heights =
        lines.stream()
            .flatMap(l -> l.words().stream())
            .mapToDouble(Word::height)
            .sorted()
            .toArray();
    double median = heights.length == 0 ? 0 : heights[heights.length / 2];
    Map<DocumentType, Double> scores = new EnumMap<>(DocumentType.class);
    Map<DocumentType, List<Word>> evidence = new EnumMap<>(DocumentType.class);
    for (Line line : lines) {
      String lower =
          " "
              + line.words().stream()
                  .map(w -> labelToken(w.text()))
                  .collect(Collectors.joining(" "))
              + " ";
      double lineHeight = line.words().stream().mapToDouble(Word::height).average().orElse(0);
      double weight = lineHeight > 1.3 * median ? 3.0 : 1.0;
      for (Map.Entry<DocumentType, List<String>> entry : TYPE_KEYWORDS.entrySet()) {
        for (String keyword : entry.getValue()) {
          if (lower.contains(" " + keyword + " ")) {
            double w = weight * (keyword.contains(" ") ? 2.0 : 1.0);
            scores.merge(entry.getKey(), w, Double::sum);
            evidence.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).addAll(line.words());
          }
        }
      }
    }
    if (scores.isEmpty()) {
      return Optional.empty();
    }
    DocumentType winner =
        scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    double total = scores.values().stream().mapToDouble(Double::doubleValue).sum();
    double share = scores.get(winner) / total;
    double strength = Math.min(1.0, scores.get(winner) / 4.0);
    double mean = evidence.get(winner).stream().mapToDouble(Word::confidence).average().orElse(0);
    return Optional.of(new Candidate(winner.name(), mean, share * (0.5 + 0.5 * strength)));
  }

  // ---------------------------------------------------------------- helpers

  private static String joined(List<Word> words) {
    return words.stream().map(Word::text).collect(Collectors.joining(" "));
  }

  /**
   * The words of {@code words} that overlap characters {@code [start, end)} of their joined text.
   */
  private static List<Word> wordsWithin(List<Word> words, int start, int end) {
    List<Word> result = new ArrayList<>();
    int offset = 0;
    for (Word word : words) {
      int wordEnd = offset + word.text().length();
      if (wordEnd > start && offset < end) {
        result.add(word);
      }
      offset = wordEnd + 1;
    }
    return result;
  }

  private static String clean(List<Word> words) {
    return joined(words)
        .replaceAll("\\s+", " ")
        .replaceAll("^[\\s:;,.|_-]+|[\\s:;,|_-]+$", "")
        .strip();
  }

  private static double clamp(double value) {
    return Math.max(0.0, Math.min(1.0, value));
  }
}
