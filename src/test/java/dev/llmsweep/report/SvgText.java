package dev.llmsweep.report;

import java.util.List;
import java.util.regex.Pattern;

/** What the report tests read back from a plot's SVG and the report's HTML, as text. */
final class SvgText {
  private SvgText() {}

  /** The legend's entries of a plot's SVG: its only 12 px text. */
  static List<String> legend(String svg) {
    return Pattern.compile("<text [^>]*font-size=\"12\"[^>]*>([^<]*)</text>")
        .matcher(svg)
        .results()
        .map(m -> m.group(1).replace("&amp;", "&"))
        .toList();
  }

  /** The y axis's tick values of a plot's SVG: the text right-aligned left of the plot box. */
  static List<Double> yTicks(String svg) {
    return Pattern.compile("<text x=\"68\" [^>]*text-anchor=\"end\">([\\d,.]+)</text>")
        .matcher(svg)
        .results()
        .map(m -> Double.parseDouble(m.group(1).replace(",", "")))
        .toList();
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
