package dev.llmsweep.analysis;

import java.util.Arrays;

/**
 * Statistics computed in plain Java from known samples, independently of the SQL that the
 * aggregation runs: the reference the tests compare the {@code points} table with.
 */
final class Expected {
  static final double Z95 = 1.959963984540054;

  private Expected() {}

  static double[] sorted(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s;
  }

  /** Type-7 quantile (linear interpolation between closest ranks), as numpy's default. */
  static Double quantile(double[] xs, double p) {
    if (xs.length == 0) {
      return null;
    }
    double[] s = sorted(xs);
    double h = (s.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  }

  static Double mean(double[] xs) {
    return xs.length == 0 ? null : Arrays.stream(xs).sum() / xs.length;
  }

  static Double stddev(double[] xs) {
    if (xs.length < 2) {
      return null;
    }
    double m = mean(xs);
    double ss = 0;
    for (double x : xs) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (xs.length - 1));
  }

  /** Lower end of the order-statistic 95% interval for quantile p, or null if unbounded. */
  static Double ciLow(double[] xs, double p) {
    int n = xs.length;
    long rank = (long) Math.floor(n * p - Z95 * Math.sqrt(n * p * (1 - p)));
    return orderStat(xs, rank);
  }

  static Double ciHigh(double[] xs, double p) {
    int n = xs.length;
    long rank = (long) Math.ceil(n * p + Z95 * Math.sqrt(n * p * (1 - p))) + 1;
    return orderStat(xs, rank);
  }

  private static Double orderStat(double[] xs, long rank) {
    return rank >= 1 && rank <= xs.length ? sorted(xs)[(int) rank - 1] : null;
  }
}
