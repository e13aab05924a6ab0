package com.hearth.engine;

/** A booking rule that a requested slot breaks; clients see these names. */
public enum RuleViolation {
  IN_PAST,
  MISALIGNED,
  TOO_SHORT,
  TOO_LONG,
  TOO_SOON,
  BEYOND_HORIZON,
  IN_BLACKOUT,
  OUTSIDE_OPENING_HOURS
}
