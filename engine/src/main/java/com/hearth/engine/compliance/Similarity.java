package com.hearth.engine.compliance;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fuzzy matching of what a certificate says against what the host and the kitchen say, as scores in
 * [0, 1]. OCR drops and swaps letters, and people write "Street" or "St.", "LLC" or nothing, so
 * both sides are normalised first and compared by edit distance.
 */
public final class Similarity {

  private Similarity() {}

  /** Words that do not tell two businesses apart. */
  private static final Set<String> NAME_NOISE =
      Set.of(
          "llc",
          "inc",
          "ltd",
          "limited",
          "co",
          "corp",
          "corporation",
          "company",
          "gmbh",
          "the",
          "l",
          "c",
          "plc",
          "lp",
          "llp");

  private static final Map<String, String> ADDRESS_WORDS =
      Map.ofEntries(
          Map.entry("street", "st"),
          Map.entry("avenue", "ave"),
          Map.entry("av", "ave"),
          Map.entry("road", "rd"),
          Map.entry("boulevard", "blvd"),
          Map.entry("drive", "dr"),
          Map.entry("lane", "ln"),
          Map.entry("suite", "ste"),
          Map.entry("apartment", "apt"),
          Map.entry("north", "n"),
          Map.entry("south", "s"),
          Map.entry("east", "e"),
          Map.entry("west", "w"),
          Map.entry("place", "pl"),
          Map.entry("court", "ct"),
          Map.entry("square", "sq"),
          Map.entry("highway", "hwy"),
          Map.entry("parkway", "pkwy"),
          Map.entry("floor", "fl"),
          Map.entry("strasse", "str"),
          Map.entry("straße", "str"));

  /**
   * How alike two business names are: 1 for the same name up to case, punctuation, word order and
   * legal suffixes ("Harbor Kitchens, LLC" and "HARBOR KITCHENS"), falling with the edit distance.
   */
  public static double names(String a, String b) {
    List<String> ta = tokens(a).stream().filter(t -> !NAME_NOISE.contains(t)).toList();
    List<String> tb = tokens(b).stream().filter(t -> !NAME_NOISE.contains(t)).toList();
    if (ta.isEmpty() || tb.isEmpty()) return 0.0;
    double inOrder = ratio(String.join(" ", ta), String.join(" ", tb));
    double sorted =
        ratio(
            ta.stream().sorted().collect(Collectors.joining(" ")),
            tb.stream().sorted().collect(Collectors.joining(" ")));
    return Math.max(inOrder, sorted);
  }

  /**
   * How well a certificate's address covers the kitchen's: the share of the kitchen address's words
   * found (near enough) among the certificate's, which may add a city or postal code. A house or
   * unit number that is missing caps the score at 0.5: 14 Harbor St is not 12 Harbor St.
   */
  public static double addresses(String kitchenAddress, String documentAddress) {
    List<String> kitchen =
        tokens(kitchenAddress).stream().map(t -> ADDRESS_WORDS.getOrDefault(t, t)).toList();
    List<String> document =
        tokens(documentAddress).stream().map(t -> ADDRESS_WORDS.getOrDefault(t, t)).toList();
    if (kitchen.isEmpty() || document.isEmpty()) return 0.0;
    int found = 0;
    boolean numberMissing = false;
    for (String word : kitchen) {
      boolean numeric = word.chars().anyMatch(Character::isDigit);
      boolean present =
          document.contains(word)
              || (!numeric
                  && word.length() > 3
                  && document.stream().anyMatch(d -> ratio(word, d) >= 0.8));
      if (present) found++;
      else if (numeric) numberMissing = true;
    }
    double share = (double) found / kitchen.size();
    return numberMissing ? Math.min(share, 0.5) : share;
  }

  /** Lower-case words of letters and digits; "&" reads as "and". */
  static List<String> tokens(String text) {
    if (text == null) return List.of();
    String cleaned =
        text.toLowerCase(Locale.ROOT)
            .replace("&", " and ")
            .replaceAll("[^\\p{L}\\p{N}]+", " ")
            .trim();
    return cleaned.isEmpty() ? List.of() : Arrays.asList(cleaned.split(" "));
  }

  /** 1 - edit distance / length of the longer string. */
  static double ratio(String a, String b) {
    int longer = Math.max(a.length(), b.length());
    if (longer == 0) return 1.0;
    return 1.0 - (double) levenshtein(a, b) / longer;
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
