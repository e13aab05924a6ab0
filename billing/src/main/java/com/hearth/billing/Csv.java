package com.hearth.billing;

import java.util.List;

/**
 * CSV as RFC 4180 writes it: records end with CRLF, and a field is quoted (its quotes doubled) only
 * when it holds a comma, a quote, CR or LF. A null field is written empty.
 *
 * <p>Text fields are made safe to open in a spreadsheet (OWASP, "CSV Injection"): a text value that
 * starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return, which a
 * spreadsheet would run as a formula, is written with a single quote in front ({@code
 * '=HYPERLINK(...)}), and then quoted as any other field if it needs it. Numbers ({@link Number}
 * values, such as amounts, which may be negative) are written as they are: only text can carry a
 * formula.
 */
final class Csv {

  private Csv() {}

  static String of(String header, List<List<Object>> rows) {
    StringBuilder out = new StringBuilder(header).append("\r\n");
    for (List<Object> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) out.append(',');
        out.append(field(row.get(i)));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  static String field(Object value) {
    if (value == null) return "";
    String text = value instanceof Number ? value.toString() : neutralised(value.toString());
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\r') < 0
        && text.indexOf('\n') < 0) return text;
    return '"' + text.replace("\"", "\"\"") + '"';
  }

  /** {@code text}, with a single quote in front when a spreadsheet would read it as a formula. */
  static String neutralised(String text) {
    if (text.isEmpty()) return text;
    return switch (text.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
      default -> text;
    };
  }
}
