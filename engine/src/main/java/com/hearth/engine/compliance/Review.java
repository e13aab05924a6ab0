package com.hearth.engine.compliance;

import com.hearth.engine.CborSerializable;
import java.time.Instant;
import java.util.Map;

/** An admin's decision on a document: approved or rejected, the fields it corrected, and why. */
public record Review(
    String adminId,
    boolean approved,
    Map<DocumentField, String> corrections,
    String reason,
    Instant at)
    implements CborSerializable {
  public Review {
    corrections = Map.copyOf(corrections);
  }
}
