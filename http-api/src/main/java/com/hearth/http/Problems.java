package com.hearth.http;

import com.hearth.engine.FieldError;
import com.hearth.engine.Rejection;
import java.util.stream.Collectors;

/**
 * The one mapping from a refusal to a problem document. Every code a route answers with is a {@link
 * Type} here, with its HTTP status and title (and the {@code Retry-After} it carries, if any); a
 * domain {@link Rejection} maps to the type of its code's name. To change an error's status or
 * title, change its line here; a new domain code needs a type of the same name ({@code
 * ProblemsTest} checks that every one has). The management endpoint, on its own port, is not part
 * of this API and answers its one problem itself.
 */
final class Problems {

  private Problems() {}

  /** The codes of problem documents: {@code code} is the name, and {@code type} is made from it. */
  enum Type {
    VALIDATION_FAILED(400, "Invalid request"),
    INVALID_SIGNATURE(400, "Invalid webhook"),
    WEAK_PASSWORD(400, "Weak password"),
    UNAUTHORIZED(401, "Unauthorized"),
    BAD_CREDENTIALS(401, "Bad credentials"),
    INVALID_REFRESH_TOKEN(401, "Invalid refresh token"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    SLOT_UNAVAILABLE(409, "Slot unavailable"),
    KITCHEN_NOT_BOOKABLE(409, "Kitchen not bookable"),
    KITCHEN_NOT_COMPLIANT(409, "Kitchen not compliant"),
    INVALID_STATE(409, "Invalid state"),
    EMAIL_TAKEN(409, "Email taken"),
    REQUEST_TIMEOUT(408, "Request timeout"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    RULE_VIOLATION(422, "Booking rule violated"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
    INVALID_AMOUNT(422, "Invalid amount"),
    WEEK_NOT_OVER(422, "Week not over"),
    TOO_MANY_PAGES(422, "Too many pages"),
    KITCHEN_BUSY(429, "Too many requests", 1),
    // Their Retry-After depends on the caller's bucket or holds: Quotas sets it.
    RATE_LIMITED(429, "Too many requests"),
    QUOTA_EXCEEDED(429, "Quota exceeded"),
    INTERNAL(500, "Internal error"),
    GATEWAY_REFUSED(502, "Payment provider refused"),
    GATEWAY_ERROR(502, "Bad gateway"),
    UNAVAILABLE(503, "Service unavailable", 2);

    final int status;
    final String title;

    /** Seconds for {@code Retry-After}, 0 for none. */
    final long retryAfterSeconds;

    Type(int status, String title) {
      this(status, title, 0);
    }

    Type(int status, String title, long retryAfterSeconds) {
      this.status = status;
      this.title = title;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The type of a domain rejection's code: the one of the same name. */
    static Type of(Rejection.Code code) {
      return valueOf(code.name());
    }
  }

  static Problem of(Type type, String detail) {
    return Problem.of(type.status, type.name(), type.title, detail);
  }

  /**
   * A domain rejection as a problem: its code's type, the broken rule and the invalid fields if
   * any.
   */
  static Problem of(Rejection r) {
    Problem p =
        of(
            Type.of(r.code()),
            r.code() == Rejection.Code.VALIDATION_FAILED ? validationDetail(r) : r.detail());
    if (r.rule() != null) p = p.withRule(r.rule().name());
    return p.withErrors(r.fieldErrors());
  }

  /** One invalid field: 400 {@code VALIDATION_FAILED}, detail {@code "field: message"}. */
  static Problem invalid(String field, String message) {
    return of(Rejection.invalid(field, message));
  }

  static Problem invalid(FieldError error) {
    return invalid(error.field(), error.message());
  }

  private static String validationDetail(Rejection r) {
    if (r.fieldErrors().isEmpty()) return r.detail();
    return r.fieldErrors().stream()
        .map(e -> e.field() + ": " + e.message())
        .collect(Collectors.joining("; "));
  }
}
