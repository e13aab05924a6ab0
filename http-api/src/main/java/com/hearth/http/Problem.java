package com.hearth.http;

import com.hearth.engine.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code code} is stable and meant for programs; {@code rule} names
 * the broken booking rule and {@code errors} the invalid fields, when there are any. Routes make
 * them through {@link Problems}, which holds every code's status and title.
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String rule,
    List<FieldError> errors) {

  public static Problem of(int status, String code, String title, String detail) {
    return new Problem(
        "urn:hearth:problem:" + code.toLowerCase().replace('_', '-'),
        title,
        status,
        detail,
        code,
        null,
        null);
  }

  public Problem withRule(String rule) {
    return new Problem(type, title, status, detail, code, rule, errors);
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(
        type, title, status, detail, code, rule, fieldErrors.isEmpty() ? null : fieldErrors);
  }
}
