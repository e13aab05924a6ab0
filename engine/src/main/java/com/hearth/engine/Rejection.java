package com.hearth.engine;

import java.util.List;

/**
 * Why the domain refused a command: the one rejection model of the kitchens and the payments. The
 * code is stable, is what clients see as a problem's {@code code}, and maps to one HTTP status in
 * the API's {@code Problems}; the detail is for people. A rejection persists nothing.
 */
public record Rejection(Code code, String detail, RuleViolation rule, List<FieldError> fieldErrors)
    implements CborSerializable {

  public enum Code {
    NOT_FOUND,
    FORBIDDEN,
    VALIDATION_FAILED,
    /** The slot overlaps a live booking (buffers included). */
    SLOT_UNAVAILABLE,
    KITCHEN_NOT_BOOKABLE,
    /** Publishing a kitchen that does not meet its jurisdiction's compliance rules. */
    KITCHEN_NOT_COMPLIANT,
    INVALID_STATE,
    /** A booking rule is broken; {@link Rejection#rule()} names it. */
    RULE_VIOLATION,
    IDEMPOTENCY_KEY_REUSED,
    /** Too much waiting for this kitchen on this node; nothing was decided. */
    KITCHEN_BUSY,
    /** A refund of more than what is left, or of nothing. */
    INVALID_AMOUNT,
    /** The payment provider refused the call. */
    GATEWAY_REFUSED,
    /** The payment provider could not be reached; nothing was decided, retry. */
    UNAVAILABLE
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

  public static Rejection invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }
}
