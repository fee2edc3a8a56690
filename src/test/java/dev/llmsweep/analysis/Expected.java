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

  /**
   * The 95% interval of quantile p of samples clustered by call, computed directly from its
   * definition (docs/schema.md): Woodruff's interval with the per-call variance of the fraction of
   * samples below the quantile (ties counted half); {null, null} without samples or with one call.
   */
  static Double[] clusteredCi(double[] xs, int[] call, double p) {
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    for (int c : call) {
      ids.add(c);
    }
    int n = xs.length;
    if (n == 0 || ids.size() < 2) {
      return new Double[] {null, null};
    }
    double q = quantile(xs, p);
    double squares = 0;
    for (int id : ids) {
      double below = 0;
      double size = 0;
      for (int i = 0; i < n; i++) {
        if (call[i] == id) {
          size++;
          below += xs[i] < q ? 1 : xs[i] == q ? 0.5 : 0;
        }
      }
      squares += (below - p * size) * (below - p * size);
    }
    double k = ids.size();
    double se = Math.sqrt(squares * k / (k - 1)) / n;
    return new Double[] {
      orderStat(xs, (long) Math.floor(n * (p - Z95 * se))),
      orderStat(xs, (long) Math.ceil(n * (p + Z95 * se)) + 1)
    };
  }
}
