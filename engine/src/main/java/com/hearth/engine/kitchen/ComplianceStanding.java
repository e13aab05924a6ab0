package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import java.time.Instant;

/**
 * What the kitchen knows of its compliance, as the compliance rules last judged it: whether rules
 * apply to it at all, whether it met them, and until when (the moment its first required document
 * expires; null when nothing expires). The kitchen suspends itself at {@code validUntil}.
 */
public record ComplianceStanding(boolean required, boolean compliant, Instant validUntil)
    implements CborSerializable {

  /** No rules apply (the default jurisdiction): publishing needs nothing and nothing lapses. */
  public static final ComplianceStanding NOT_REQUIRED = new ComplianceStanding(false, true, null);

  /** Whether the kitchen may take bookings at {@code now} under this standing. */
  public boolean permits(Instant now) {
    return !required || (compliant && (validUntil == null || validUntil.isAfter(now)));
  }

  /** When this standing lapses on its own, if it can. */
  public Instant lapsesAt() {
    return required && compliant ? validUntil : null;
  }
}
