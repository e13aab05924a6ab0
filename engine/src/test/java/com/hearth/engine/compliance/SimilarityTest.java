package com.hearth.engine.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Fuzzy names and addresses, with the expected scores worked out by hand. */
class SimilarityTest {

  @Test
  void namesIgnoreCasePunctuationOrderAndLegalSuffixes() {
    assertThat(Similarity.names("Harbor Kitchens, LLC", "HARBOR KITCHENS")).isEqualTo(1.0);
    assertThat(Similarity.names("Kitchens Harbor", "Harbor Kitchens Inc.")).isEqualTo(1.0);
    assertThat(Similarity.names("Smith & Sons", "Smith and Sons Ltd")).isEqualTo(1.0);
    // "harbor kitchens" vs "harb0r kitchens": one substitution in 15 characters: 1 - 1/15.
    assertThat(Similarity.names("Harb0r Kitchens", "Harbor Kitchens")).isEqualTo(1.0 - 1.0 / 15);
    assertThat(Similarity.names("Golden Dragon", "Harbor Kitchens")).isLessThan(0.5);
    assertThat(Similarity.names("LLC", "Harbor Kitchens")).isEqualTo(0.0);
  }

  @Test
  void addressesCountTheKitchensWordsAndInsistOnItsNumbers() {
    assertThat(
            Similarity.addresses(
                "12 Harbor St, Brooklyn, NY", "12 Harbor Street Brooklyn NY 11201"))
        .isEqualTo(1.0);
    // 4 of 5 words, but the house number is missing: capped at 0.5.
    assertThat(Similarity.addresses("12 Harbor St, Brooklyn, NY", "14 Harbor Street Brooklyn NY"))
        .isEqualTo(0.5);
    // "Brooklin" is near enough to "brooklyn"; "ny" is missing: 4 of 5.
    assertThat(Similarity.addresses("12 Harbor St, Brooklyn, NY", "12 Harbor St Brooklin"))
        .isEqualTo(0.8);
    assertThat(Similarity.addresses("", "12 Harbor St")).isEqualTo(0.0);
  }

  @Test
  void levenshteinCountsEdits() {
    assertThat(Similarity.levenshtein("kitten", "sitting")).isEqualTo(3);
    assertThat(Similarity.levenshtein("", "abc")).isEqualTo(3);
    assertThat(Similarity.ratio("", "")).isEqualTo(1.0);
  }
}
