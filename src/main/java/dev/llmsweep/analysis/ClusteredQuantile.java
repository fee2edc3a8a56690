package dev.llmsweep.analysis;

/**
 * Confidence intervals of a quantile when samples come in clusters (the requests of one generate
 * call share its prefill, so its TTFT, and with {@code ignore_eos} its E2E): Woodruff's interval
 * with a cluster-robust variance of the empirical distribution function. Runs wherever it is called
 * (the executors, inside {@link SampleSummaryFunction}; tests).
 *
 * <p>The fraction of samples at or below the quantile estimate is a ratio of per-call counts, so
 * its variance is estimated from the calls, {@code C/(C-1) * sum_c (a_c - p m_c)^2 / n^2} ({@code
 * a_c} samples of call c at or below it, ties counted half; {@code m_c} its samples). The interval
 * is the order statistics at ranks {@code floor(n (p - 1.96 se))} and {@code ceil(n (p + 1.96 se))
 * + 1}: with one sample per call this is the distribution-free order-statistic interval; with calls
 * of identical samples it is as wide as with one sample per call, because the calls, not the
 * requests, are the independent draws.
 */
public final class ClusteredQuantile {
  /** The two-sided 95% normal quantile. */
  public static final double Z95 = 1.959963984540054;

  private ClusteredQuantile() {}

  /**
   * The 95% interval of quantile {@code p}, as {@code {low, high}} with NaN for a bound whose rank
   * falls outside the sample (the data cannot bound it); null without samples or with fewer than
   * two calls.
   *
   * @param sorted the samples, ascending
   * @param values the same samples in any order, aligned with {@code call}
   * @param call each sample's call, dense in {@code 0 .. calls-1}
   * @param calls number of distinct calls
   */
  public static double[] interval(
      double[] sorted, double[] values, int[] call, int calls, double p) {
    int n = sorted.length;
    if (n == 0 || calls < 2) {
      return null;
    }
    double q = quantile(sorted, p);
    double[] below = new double[calls];
    double[] size = new double[calls];
    for (int i = 0; i < n; i++) {
      double x = values[i];
      int c = call[i];
      size[c]++;
      below[c] += x < q ? 1 : x == q ? 0.5 : 0;
    }
    double squares = 0;
    for (int c = 0; c < calls; c++) {
      double d = below[c] - p * size[c];
      squares += d * d;
    }
    double se = Math.sqrt(squares * calls / (calls - 1.0)) / n;
    long low = (long) Math.floor(n * (p - Z95 * se));
    long high = (long) Math.ceil(n * (p + Z95 * se)) + 1;
    return new double[] {orderStatistic(sorted, low), orderStatistic(sorted, high)};
  }

  /** Quantile p of sorted samples, Hyndman-Fan type 7 (the {@code points} table's definition). */
  public static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The k-th smallest sample (1-based), NaN outside the sample. */
  static double orderStatistic(double[] sorted, long k) {
    return k >= 1 && k <= sorted.length ? sorted[(int) k - 1] : Double.NaN;
  }
}
