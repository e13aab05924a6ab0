package com.hearth.engine.compliance;

import com.hearth.engine.CborSerializable;

/**
 * One field's value as read (or as an admin corrected it, with confidence 1) and how sure that is,
 * in [0, 1].
 */
public record FieldReading(String value, double confidence) implements CborSerializable {
  public FieldReading {
    if (value == null || value.isBlank())
      throw new IllegalArgumentException("a field needs a value");
    if (!(confidence >= 0.0 && confidence <= 1.0))
      throw new IllegalArgumentException("confidence must lie in [0, 1]");
  }
}
