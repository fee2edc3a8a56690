package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much a figure moves from one run of the job to the next beyond what its calls explain (driver
 * side; tests), estimated from the baseline runs of {@code compare --baseline last:N}. Per figure,
 * the variance of the log of the baseline runs' own figures, less the run side's call-level
 * bootstrap variance of that figure (what a single run's calls explain); the excess is pooled
 * (averaged) over the points of each metric and floored at 0. Pooled, not one per figure: five runs
 * give a figure 4 degrees of freedom, too few for the far tails that Holm's correction over dozens
 * of figures reaches; per metric, because the metrics spread differently (a p99 or a TPOT more than
 * an E2E, which sums two phases). The p-values then use Student's t with {@code (R - 1)} degrees of
 * freedom per pooled figure.
 *
 * @param baselineRuns the baseline runs
 * @param byMetric per metric: the pooled run-to-run variance of a log figure (0 when unknown) and
 *     the figures it was pooled over
 */
public record RunSpread(int baselineRuns, Map<Metric, Pooled> byMetric) {
  /** Fewer baseline runs than this: the spread is unknown (assumed 0, and said so). */
  public static final int MIN_RUNS = 3;

  /**
   * One metric's spread.
   *
   * @param variance run-to-run variance of its log figure
   * @param figures the points it was pooled over
   */
  public record Pooled(double variance, int figures) {}

  /**
   * No history: one baseline run (a run id or {@code previous}), or fewer than {@link #MIN_RUNS}.
   */
  public static RunSpread none(int baselineRuns) {
    return new RunSpread(baselineRuns, Map.of());
  }

  /** Whether the spread was estimated (at least {@link #MIN_RUNS} baseline runs). */
  public boolean known() {
    return baselineRuns >= MIN_RUNS && !byMetric.isEmpty();
  }

  /** The run-to-run variance of the metric's log figure, 0 when unknown. */
  public double variance(Metric m) {
    Pooled p = byMetric.get(m);
    return p == null ? 0 : p.variance();
  }

  /**
   * What the spread adds to a figure's variance of the log ratio: the new run's own run effect,
   * plus {@code 1/R} of it for the baseline's mean over R runs (the hierarchical bootstrap over so
   * few runs understates that share by a factor {@code (R - 1) / R}; adding it whole errs on the
   * side of fewer false alarms).
   */
  public double added(Metric m) {
    return variance(m) * (1 + 1.0 / baselineRuns);
  }

  /** Degrees of freedom of {@link #variance}: {@code (R - 1)} per pooled figure; 0 when unknown. */
  public int degreesOfFreedom(Metric m) {
    Pooled p = byMetric.get(m);
    return p == null ? 0 : (baselineRuns - 1) * p.figures();
  }

  /**
   * The spread estimated from the comparable figures ({@code provisional} null) of a comparison.
   */
  public static RunSpread estimate(List<Judge.Input> figures, int baselineRuns) {
    if (baselineRuns < MIN_RUNS) {
      return none(baselineRuns);
    }
    Map<Metric, double[]> sums = new EnumMap<>(Metric.class);
    for (Judge.Input f : figures) {
      double[] v = f.baselineRunValues();
      if (f.provisional() != null
          || v == null
          || v.length < MIN_RUNS
          || !Double.isFinite(f.runSeLog())) {
        continue;
      }
      double sum = 0;
      double squares = 0;
      boolean ok = true;
      for (double x : v) {
        ok &= x > 0 && Double.isFinite(x);
        double l = Math.log(x);
        sum += l;
        squares += l * l;
      }
      if (ok) {
        double mean = sum / v.length;
        double variance = Math.max(0, (squares - v.length * mean * mean) / (v.length - 1));
        double[] s = sums.computeIfAbsent(f.metric(), k -> new double[2]);
        s[0] += variance - f.runSeLog() * f.runSeLog();
        s[1]++;
      }
    }
    Map<Metric, Pooled> out = new EnumMap<>(Metric.class);
    sums.forEach((m, s) -> out.put(m, new Pooled(Math.max(0, s[0] / s[1]), (int) s[1])));
    return new RunSpread(baselineRuns, out);
  }

  /** One sentence for the comparison's header. */
  public String describe() {
    if (known()) {
      List<String> parts = new ArrayList<>();
      byMetric.forEach(
          (m, p) ->
              parts.add(
                  String.format(
                      Locale.ROOT,
                      "%s %.1f%%",
                      m.column(),
                      100 * (Math.exp(Math.sqrt(p.variance())) - 1))));
      return "run-to-run spread from "
          + baselineRuns
          + " baseline runs (sd of a log figure beyond its calls', pooled"
          + " over the points of each metric; added to each figure's bootstrap, Student's t): "
          + String.join(", ", parts);
    }
    return "run-to-run spread unknown: "
        + baselineRuns
        + " baseline run(s), "
        + MIN_RUNS
        + " needed (compare --baseline"
        + " last:5); assumed 0, so a verdict rests on the calls' spread alone and a machine or JVM that varies between"
        + " runs can still give a false one";
  }
}
