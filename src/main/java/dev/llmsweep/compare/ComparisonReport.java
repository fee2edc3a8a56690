package dev.llmsweep.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints a {@link Comparison} as a table (driver side): one line per metric of each matched
 * point, then the points present in only one run, then one verdict line.
 */
public final class ComparisonReport {
  private static final String[] HEADER = {"point", "metric", "baseline", "run", "ratio", "95% CI", "p (Holm)",
      "verdict"};

  private ComparisonReport() {}

  public static void print(Comparison c, PrintStream out) {
    var s = c.settings();
    out.printf(Locale.ROOT, "compare run %s with baseline %s: ratio = run / baseline, %.0f%% bootstrap interval"
        + " resampling generate calls (%d resamples, seed %d); a change counts beyond %.0f%% when its p-value,"
        + " Holm-adjusted over the run's %d comparable figures, is below %.2f%n", c.run(), c.baseline(),
        100 * s.confidence(), s.resamples(), s.seed(), 100 * s.threshold(),
        c.rows().stream().filter(r -> r.pValueHolm() != null).count(), 1 - s.confidence());
    List<String[]> lines = new ArrayList<>();
    String previous = null;
    for (ComparisonRow r : c.matched()) {
      String point = r.point().equals(previous) ? "" : r.point();
      previous = r.point();
      lines.add(new String[] {point, r.metric() + " (" + r.unit() + ")", num(r.baselineValue()), num(r.runValue()),
          r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.ratio()),
          r.ciLow() == null ? "-" : String.format(Locale.ROOT, "[%.3f, %.3f]", r.ciLow(), r.ciHigh()),
          r.pValueHolm() == null ? "-" : String.format(Locale.ROOT, "%.2g", r.pValueHolm()),
          r.slower() ? "SLOWER" : r.verdict()});
    }
    table(lines, out);
    list(out, "points only in run " + c.run() + " (not in the baseline)", c.pointsWith(Verdict.ONLY_IN_RUN));
    list(out, "points only in baseline " + c.baseline() + " (missing from the run)",
        c.pointsWith(Verdict.ONLY_IN_BASELINE));
    list(out, "unstable points (their decode step drifted during the measured calls of either run: no verdict,"
        + " not in the Holm family; run them again)", c.pointsWith(Verdict.UNSTABLE));
    long slowerPoints = c.regressions().stream().map(ComparisonRow::point).distinct().count();
    out.printf(Locale.ROOT, "%d slower, %d faster, %d no significant change, %d with too few calls (p99 of < %d),"
        + " %d unstable, %d not comparable (figures of %d matched points); comparisons table: %s%n",
        c.count(Verdict.SLOWER),
        c.count(Verdict.FASTER), c.count(Verdict.NO_CHANGE), c.count(Verdict.TOO_FEW_CALLS), Metric.P99_MIN_SAMPLES,
        c.count(Verdict.UNSTABLE), c.count(Verdict.NOT_COMPARABLE), c.matched().size() / Metric.values().length,
        c.table());
    if (c.regressed()) {
      out.printf("REGRESSION: %d figure(s) of %d point(s) significantly slower than baseline %s%n",
          c.regressions().size(), slowerPoints, c.baseline());
    } else {
      out.printf("no significant regression against baseline %s%n", c.baseline());
    }
  }

  private static void list(PrintStream out, String title, Set<String> points) {
    if (!points.isEmpty()) {
      out.println(title + ":");
      points.forEach(p -> out.println("  " + p));
    }
  }

  private static void table(List<String[]> lines, PrintStream out) {
    int[] width = new int[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      width[i] = HEADER[i].length();
      for (String[] l : lines) {
        width[i] = Math.max(width[i], l[i].length());
      }
    }
    out.println(line(HEADER, width));
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
    }
    out.println(rule);
    lines.forEach(l -> out.println(line(l, width)));
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      b.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
    }
    return b.toString().stripTrailing();
  }

  private static String num(Double x) {
    return x == null ? "-" : String.format(Locale.ROOT, "%.3f", x);
  }
}
