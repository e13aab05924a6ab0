package com.hearth.engine.kitchen;

import com.hearth.engine.CborSerializable;
import com.hearth.engine.FieldError;
import java.util.List;

/**
 * Why the kitchen refused a command. The code is stable and maps to one HTTP status; the detail
 * is for people. A rejection persists nothing.
 */
public record Rejection(Code code, String detail, RuleViolation rule, List<FieldError> fieldErrors)
    implements CborSerializable {

  public enum Code {
    NOT_FOUND,
    FORBIDDEN,
    VALIDATION_FAILED,
    SLOT_UNAVAILABLE,
    KITCHEN_NOT_BOOKABLE,
    INVALID_STATE,
    RULE_VIOLATION,
    IDEMPOTENCY_KEY_REUSED,
    /** Too much waiting for this kitchen on this node; nothing was decided. */
    BUSY
  }

  public Rejection {
    fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
  }

  public static Rejection of(Code code, String detail) {
    return new Rejection(code, detail, null, List.of());
  }

  public static Rejection rule(RuleViolation rule, String detail) {
    return new Rejection(Code.RULE_VIOLATION, detail, rule, List.of());
  }

  public static Rejection invalid(List<FieldError> errors) {
    return new Rejection(Code.VALIDATION_FAILED, "the request has invalid fields", null, errors);
  }
}
