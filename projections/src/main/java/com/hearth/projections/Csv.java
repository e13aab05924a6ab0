package com.hearth.projections;

import java.util.List;

/**
 * CSV as RFC 4180 writes it: records end with CRLF, and a field is quoted (its quotes doubled)
 * only when it holds a comma, a quote, CR or LF. A null field is written empty.
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
    String text = value.toString();
    if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\r') < 0 && text.indexOf('\n') < 0) return text;
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
