package dev.llmsweep.compare;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Bootstrap resampling of pooled samples (executor side, inside {@link ComparePointsFunction}).
 * Samples are sorted first, so the result depends only on the samples and the seed, not on the
 * order Spark collected them in. A resample is drawn as counts per sorted index, so its order
 * statistics come from one pass over the counts instead of a sort.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * Quantile {@code p} of sorted samples, Hyndman-Fan type 7 (linear interpolation between the
   * closest ranks: Spark's {@code percentile}, numpy's default and the {@code points} table's).
   */
  public static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * {@code resamples} bootstrap replicates of the quantiles {@code ps} (ascending) of sorted
   * samples: {@code [replicate][i]} is quantile {@code ps[i]} of one resample with replacement.
   */
  public static double[][] quantiles(double[] sorted, double[] ps, int resamples, SplittableRandom rng) {
    int n = sorted.length;
    int[] counts = new int[n];
    double[][] out = new double[resamples][ps.length];
    int[] ranks = new int[ps.length * 2];
    for (int i = 0; i < ps.length; i++) {
      int lo = (int) Math.floor((n - 1) * ps[i]);
      ranks[2 * i] = lo;
      ranks[2 * i + 1] = Math.min(lo + 1, n - 1);
    }
    double[] at = new double[ranks.length];
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(counts, 0);
      for (int k = 0; k < n; k++) {
        counts[rng.nextInt(n)]++;
      }
      orderStatistics(sorted, counts, ranks, at);
      for (int i = 0; i < ps.length; i++) {
        double h = (n - 1) * ps[i];
        double lo = at[2 * i];
        out[b][i] = lo + (h - Math.floor(h)) * (at[2 * i + 1] - lo);
      }
    }
    return out;
  }

  /** The values at 0-based {@code ranks} (ascending) of the resample that {@code counts} describes. */
  static void orderStatistics(double[] sorted, int[] counts, int[] ranks, double[] out) {
    int r = 0;
    long below = 0;
    for (int j = 0; j < sorted.length && r < ranks.length; j++) {
      below += counts[j];
      while (r < ranks.length && ranks[r] < below) {
        out[r++] = sorted[j];
      }
    }
  }

  /**
   * {@code resamples} replicates of a ratio of sums, {@code 1000 * sum(tokens) / sum(latencyMs)}
   * (tokens per second), over pairs resampled with replacement: throughput from whole batches.
   */
  public static double[] throughputs(double[] latencyMs, double[] tokens, int resamples, SplittableRandom rng) {
    int n = latencyMs.length;
    double[] out = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double lat = 0;
      double tok = 0;
      for (int k = 0; k < n; k++) {
        int j = rng.nextInt(n);
        lat += latencyMs[j];
        tok += tokens[j];
      }
      out[b] = lat > 0 ? 1000 * tok / lat : Double.NaN;
    }
    return out;
  }

  /**
   * The percentile interval of {@code ratios} at {@code confidence} (e.g. 0.95), ignoring
   * undefined replicates; null when more than 1% of them are undefined (a zero baseline).
   */
  public static double[] interval(double[] ratios, double confidence) {
    double[] ok = Arrays.stream(ratios).filter(Double::isFinite).sorted().toArray();
    if (ok.length == 0 || ok.length < 0.99 * ratios.length) {
      return null;
    }
    double tail = (1 - confidence) / 2;
    return new double[] {quantile(ok, tail), quantile(ok, 1 - tail)};
  }
}
