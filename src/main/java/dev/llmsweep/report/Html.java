package dev.llmsweep.report;

import java.util.Locale;

/** Escaping and number formatting for the HTML report (driver side). */
final class Html {
  private Html() {}

  /** Text safe in an HTML element or a quoted attribute; null is an empty string. */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out.append("&#xFFFD;"); // control characters are not allowed in HTML text
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * A number with up to 4 significant decimals, no exponent for ordinary magnitudes; "" for null.
   */
  static String number(Object value) {
    if (value == null) {
      return "";
    }
    if (!(value instanceof Double) && !(value instanceof Float)) {
      return value.toString();
    }
    double d = ((Number) value).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    double a = Math.abs(d);
    String pattern =
        a == 0 ? "%.0f" : a >= 1000 ? "%,.1f" : a >= 1 ? "%.3f" : a >= 0.001 ? "%.4f" : "%.3g";
    String s = String.format(Locale.ROOT, pattern, d);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
