package dev.llmsweep.compare;

import java.util.Arrays;

/**
 * The verdicts of a run's comparison, made over all its figures at once (driver side; tests). A run
 * compares many figures (7 metrics x every matched point): judged one by one at 95%, an A/A
 * comparison of 100 figures would almost always find a "regression" somewhere. So a figure is
 * slower (or faster) only when both hold:
 *
 * <ul>
 *   <li>the practical threshold: its ratio moved beyond {@code 1 +/- threshold} in that direction,
 *       and
 *   <li>family-wise control: its p-value of "no change", Holm-adjusted over every comparable figure
 *       of the run, is below {@code 1 - confidence}; the chance that any figure of an A/A
 *       comparison is called a change is then at most that.
 * </ul>
 */
public final class Verdicts {
  private Verdicts() {}

  /**
   * Holm's step-down adjustment: sorted ascending, {@code p_(i)} becomes {@code max_{j <= i} min(1,
   * (m - j + 1) p_(j))} with m the number of defined p-values. NaN (an undefined figure) stays NaN
   * and does not count in m.
   */
  public static double[] holm(double[] p) {
    Integer[] order =
        java.util.stream.IntStream.range(0, p.length)
            .filter(i -> !Double.isNaN(p[i]))
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
    double[] out = new double[p.length];
    Arrays.fill(out, Double.NaN);
    int m = order.length;
    double running = 0;
    for (int j = 0; j < m; j++) {
      running = Math.max(running, Math.min(1, (m - j) * p[order[j]]));
      out[order[j]] = running;
    }
    return out;
  }

  /**
   * The verdict of a comparable figure.
   *
   * @param ratio run / baseline
   * @param adjustedP its Holm-adjusted p-value
   * @param alpha {@code 1 - confidence}
   * @param threshold the practical threshold (0.10: 10%)
   * @param higherIsBetter true for throughput
   */
  public static Verdict of(
      Double ratio, double adjustedP, double alpha, double threshold, boolean higherIsBetter) {
    if (ratio == null || !Double.isFinite(ratio) || Double.isNaN(adjustedP)) {
      return Verdict.NOT_COMPARABLE;
    }
    boolean significant = adjustedP < alpha;
    if (significant && ratio > 1 + threshold) {
      return higherIsBetter ? Verdict.FASTER : Verdict.SLOWER;
    }
    if (significant && ratio < 1 - threshold) {
      return higherIsBetter ? Verdict.SLOWER : Verdict.FASTER;
    }
    return Verdict.NO_CHANGE;
  }
}
