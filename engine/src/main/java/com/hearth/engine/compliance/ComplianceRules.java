package com.hearth.engine.compliance;

import java.util.List;
import java.util.Set;

/**
 * What one jurisdiction requires of a kitchen: the document types, how many days ahead each must
 * still be valid, how alike the holder's name and the premises' address must be to the host's and
 * the kitchen's, which confidence sends a reading to an admin, and how early a coming expiry is
 * announced. A jurisdiction with no required types has no rules.
 */
public record ComplianceRules(
    String jurisdiction,
    List<DocumentType> required,
    int minDaysAhead,
    double nameMatchThreshold,
    double addressMatchThreshold,
    double reviewBelowConfidence,
    int expiringSoonDays,
    Set<DocumentType> addressCheckedFor)
    implements com.hearth.engine.CborSerializable {

  public ComplianceRules {
    required = List.copyOf(required);
    addressCheckedFor = Set.copyOf(addressCheckedFor);
    if (minDaysAhead < 0)
      throw new IllegalArgumentException(jurisdiction + ": min-days-ahead must be 0 or more");
    if (expiringSoonDays < 0)
      throw new IllegalArgumentException(jurisdiction + ": expiring-soon-days must be 0 or more");
    checkShare(jurisdiction, "name-match-threshold", nameMatchThreshold);
    checkShare(jurisdiction, "address-match-threshold", addressMatchThreshold);
    checkShare(jurisdiction, "review-below-confidence", reviewBelowConfidence);
  }

  public boolean hasRules() {
    return !required.isEmpty();
  }

  private static void checkShare(String jurisdiction, String name, double value) {
    if (!(value >= 0.0 && value <= 1.0))
      throw new IllegalArgumentException(jurisdiction + ": " + name + " must lie in [0, 1]");
  }
}
