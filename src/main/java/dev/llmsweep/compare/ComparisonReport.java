package dev.llmsweep.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints a {@link Comparison} as a table (driver side): one line per metric of each matched point,
 * then the points present in only one run, then one verdict line.
 */
public final class ComparisonReport {
  private static final String[] HEADER = {
    "point", "metric", "baseline", "run", "ratio", "95% CI", "p (Holm)", "verdict"
  };

  private ComparisonReport() {}

  public static void print(Comparison c, PrintStream out) {
    var s = c.settings();
    out.printf(
        Locale.ROOT,
        "compare run %s with baseline %s: ratio = run / baseline, %.0f%% bootstrap interval"
            + " resampling generate calls (%d resamples, seed %d); a change counts beyond %.0f%% when its p-value,"
            + " Holm-adjusted over the run's %d comparable figures, is below %.2f%n",
        c.run(),
        c.baseline(),
        100 * s.confidence(),
        s.resamples(),
        s.seed(),
        100 * s.threshold(),
        c.rows().stream().filter(r -> r.test().pValueHolm() != null).count(),
        1 - s.confidence());
    if (!c.baselineRuns().equals(List.of(c.baseline()))) {
      out.println(
          "baseline "
              + c.baseline().replace('-', ':')
              + ": runs "
              + String.join(", ", c.baselineRuns())
              + " (the latest completed runs of the job, latest first); the baseline's figure is the geometric mean of"
              + " theirs, resampled by run, then by call");
      out.println(c.spread().describe());
    }
    environment(c, out);
    List<String[]> lines = new ArrayList<>();
    String previous = null;
    for (ComparisonRow r : c.matched()) {
      String point = r.point().equals(previous) ? "" : r.point();
      previous = r.point();
      ComparisonRow.Figures f = r.figures();
      ComparisonRow.Test t = r.test();
      lines.add(
          new String[] {
            point,
            f.metric() + " (" + f.unit() + ")",
            num(f.baselineValue()),
            num(f.runValue()),
            t.ratio() == null ? "-" : String.format(Locale.ROOT, "%.3f", t.ratio()),
            t.ciLow() == null
                ? "-"
                : String.format(Locale.ROOT, "[%.3f, %.3f]", t.ciLow(), t.ciHigh()),
            t.pValueHolm() == null ? "-" : String.format(Locale.ROOT, "%.2g", t.pValueHolm()),
            r.slower()
                ? "SLOWER"
                : r.environment().factor() != null
                        && t.verdict().equals(Verdict.ENVIRONMENT.label())
                    ? String.format(
                        Locale.ROOT, "environment (machine %.2fx)", r.environment().factor())
                    : t.verdict()
          });
    }
    table(lines, out);
    list(
        out,
        "points only in run " + c.run() + " (not in the baseline)",
        c.pointsWith(Verdict.ONLY_IN_RUN));
    list(
        out,
        "points only in baseline " + c.baseline() + " (missing from the run)",
        c.pointsWith(Verdict.ONLY_IN_BASELINE));
    list(
        out,
        "unstable points (their decode step drifted during the measured calls of either run: no verdict,"
            + " not in the Holm family; run them again)",
        c.pointsWith(Verdict.UNSTABLE));
    list(
        out,
        "points whose machine changed while they ran (probes before and after differ beyond the tolerance"
            + " in either run: no verdict, not in the Holm family; run them again)",
        c.pointsWith(Verdict.ENV_CHANGED));
    long slowerPoints = c.regressions().stream().map(ComparisonRow::point).distinct().count();
    out.printf(
        Locale.ROOT,
        "%d slower, %d faster, %d no significant change, %d environment, %d with too few calls"
            + " (p99 of < %d), %d unstable, %d env changed, %d not comparable (figures of %d matched points); comparisons"
            + " table: %s%n",
        c.count(Verdict.SLOWER),
        c.count(Verdict.FASTER),
        c.count(Verdict.NO_CHANGE),
        c.count(Verdict.ENVIRONMENT),
        c.count(Verdict.TOO_FEW_CALLS),
        Metric.P99_MIN_SAMPLES,
        c.count(Verdict.UNSTABLE),
        c.count(Verdict.ENV_CHANGED),
        c.count(Verdict.NOT_COMPARABLE),
        c.matched().size() / Metric.values().length,
        c.table());
    if (c.regressed()) {
      out.printf(
          "REGRESSION: %d figure(s) of %d point(s) significantly slower than baseline %s%s%n",
          c.regressions().size(),
          slowerPoints,
          c.baseline(),
          c.environment().changed()
              ? " beyond what the machine's change explains (" + largest(c.environment()) + ")"
              : "");
    } else if (c.nothingJudged()) {
      out.printf(
          "inconclusive: no figure could be judged (%d unstable, %d env changed: the point drifted"
              + " or the machine changed while it ran, in the run or in every baseline run)%s; run"
              + " again on a quiet machine%n",
          c.count(Verdict.UNSTABLE),
          c.count(Verdict.ENV_CHANGED),
          c.environment().changed()
              ? "; the machine changed (" + largest(c.environment()) + ")"
              : "");
    } else if (c.inconclusive()) {
      out.printf(
          "inconclusive: the machine changed (%s): %d figure(s) of %d point(s) changed only as much as the"
              + " machine did; run again on a machine like the baseline's%n",
          largest(c.environment()),
          c.explainedByEnvironment().size(),
          c.explainedByEnvironment().stream().map(ComparisonRow::point).distinct().count());
    } else {
      out.printf("no significant regression against baseline %s%n", c.baseline());
    }
  }

  /**
   * The machine of the run and of each baseline run, and the ratio run / baseline of every probe:
   * per baseline run, and against the baseline's median, which the verdicts use.
   */
  private static void environment(Comparison c, PrintStream out) {
    out.println("environment of run " + c.run() + ": " + c.runEnvironment().describe());
    for (RunEnvironment b : c.baselineEnvironments()) {
      EnvironmentChange pair =
          EnvironmentChange.of(c.runEnvironment(), b, c.settings().threshold());
      out.println(
          "  against baseline run "
              + b.run()
              + ": "
              + (pair.ratios().isEmpty() ? b.describe() : pair.describe()));
    }
    EnvironmentChange e = c.environment();
    if (c.baselineEnvironments().size() > 1) {
      out.println("  against the baseline runs' median: " + e.describe());
    }
    if (e.changed()) {
      out.printf(
          Locale.ROOT,
          "the machine changed beyond %.0f%%: a figure slower by up to %.2fx (faster by up to"
              + " %.2fx) is judged against that change (verdict environment when it explains it)%n",
          100 * c.settings().threshold(),
          e.slowdown(),
          1 / e.speedup());
    }
  }

  private static String largest(EnvironmentChange e) {
    EnvironmentChange.ProbeRatio r = e.contended() || e.relieved() ? e.cpuFree() : e.largest();
    if (r != null && r.probe() == RunEnvironment.Probe.CPU_FREE) {
      // the share, not a speed: say what it means
      return r.describe()
          + (r.ratio() < 1
              ? ": other processes took the run's CPU"
              : ": other processes took the baseline's CPU");
    }
    return r == null
        ? "no probes"
        : String.format(Locale.ROOT, "%s %.2fx", r.probe().label(), r.ratio());
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
