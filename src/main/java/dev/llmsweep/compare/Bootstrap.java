package dev.llmsweep.compare;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Bootstrap resampling of pooled samples (executor side, inside {@link ComparePointsFunction}).
 * Latency samples are resampled by generate call (a cluster bootstrap): a replicate draws as many
 * calls as the side has, with replacement, and pools all their samples, because the requests of one
 * call share its prefill and are not independent draws. Samples are sorted first, so the result
 * depends only on the samples and the seed, not on the order Spark collected them in. A resample is
 * drawn as a count per call, so its order statistics come from one pass over the sorted samples
 * instead of a sort.
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
   * {@code resamples} cluster-bootstrap replicates of the quantiles {@code ps} (ascending): {@code
   * [replicate][i]} is quantile {@code ps[i]} of the pooled samples of {@code calls.length} calls
   * drawn with replacement. {@code calls[c]} holds call c's samples; calls must be in a canonical
   * order (see {@link #canonical}) for the replicates to depend only on the data.
   */
  public static double[][] clusteredQuantiles(
      double[][] calls, double[] ps, int resamples, SplittableRandom rng) {
    int clusters = calls.length;
    int n = 0;
    for (double[] c : calls) {
      n += c.length;
    }
    // every sample with its call, sorted by value (ties by call: a stable, data-only order)
    double[] values = new double[n];
    int[] callOf = new int[n];
    int k = 0;
    for (int c = 0; c < clusters; c++) {
      for (double x : calls[c]) {
        values[k] = x;
        callOf[k++] = c;
      }
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(
        idx,
        (a, b) ->
            values[a] != values[b]
                ? Double.compare(values[a], values[b])
                : Integer.compare(callOf[a], callOf[b]));
    double[] sorted = new double[n];
    int[] sortedCall = new int[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = values[idx[i]];
      sortedCall[i] = callOf[idx[i]];
    }
    int[] weight = new int[clusters];
    double[][] out = new double[resamples][ps.length];
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(weight, 0);
      long total = 0;
      for (int d = 0; d < clusters; d++) {
        int c = rng.nextInt(clusters);
        weight[c]++;
        total += calls[c].length;
      }
      if (total == 0) {
        Arrays.fill(out[b], Double.NaN);
        continue;
      }
      // type 7 on the resample: ranks floor(h) and floor(h) + 1 (0-based) with h = (total - 1) p
      int r = 0;
      long below = 0;
      double[] at = new double[2 * ps.length];
      long[] ranks = new long[2 * ps.length];
      for (int i = 0; i < ps.length; i++) {
        long lo = (long) Math.floor((total - 1) * ps[i]);
        ranks[2 * i] = lo;
        ranks[2 * i + 1] = Math.min(lo + 1, total - 1);
      }
      for (int j = 0; j < n && r < ranks.length; j++) {
        below += weight[sortedCall[j]];
        while (r < ranks.length && ranks[r] < below) {
          at[r++] = sorted[j];
        }
      }
      for (int i = 0; i < ps.length; i++) {
        double h = (total - 1) * ps[i];
        out[b][i] = at[2 * i] + (h - Math.floor(h)) * (at[2 * i + 1] - at[2 * i]);
      }
    }
    return out;
  }

  /** Calls in a canonical order (each call's samples sorted, calls ordered by their samples). */
  public static double[][] canonical(java.util.List<double[]> calls) {
    double[][] out =
        calls.stream()
            .map(
                c -> {
                  double[] s = c.clone();
                  Arrays.sort(s);
                  return s;
                })
            .toArray(double[][]::new);
    Arrays.sort(out, Arrays::compare);
    return out;
  }

  /**
   * Two-sided p-value of "no change" for a ratio, from the bootstrap standard error of its log (a
   * normal approximation, so that p-values far below 1 / resamples stay meaningful for the
   * family-wise correction over many figures); NaN when undefined.
   */
  public static double pValue(double ratio, double[] ratios) {
    int m = 0;
    double sum = 0;
    double squares = 0;
    for (double x : ratios) {
      if (x > 0 && Double.isFinite(x)) {
        double l = Math.log(x);
        sum += l;
        squares += l * l;
        m++;
      }
    }
    if (!(ratio > 0) || !Double.isFinite(ratio) || m < 0.99 * ratios.length || m < 2) {
      return Double.NaN;
    }
    double mean = sum / m;
    double sd = Math.sqrt(Math.max(0, (squares - m * mean * mean) / (m - 1)));
    double z = Math.abs(Math.log(ratio));
    if (sd == 0) {
      return z == 0 ? 1 : 0;
    }
    return erfc(z / sd / Math.sqrt(2));
  }

  /**
   * Standard deviation of the logs of the replicates (the bootstrap standard error of a log figure
   * or log ratio); NaN when null, or when more than 1% of them are undefined or fewer than two are
   * defined.
   */
  public static double sdLog(double[] replicates) {
    if (replicates == null) {
      return Double.NaN;
    }
    int m = 0;
    double sum = 0;
    double squares = 0;
    for (double x : replicates) {
      if (x > 0 && Double.isFinite(x)) {
        double l = Math.log(x);
        sum += l;
        squares += l * l;
        m++;
      }
    }
    if (m < 0.99 * replicates.length || m < 2) {
      return Double.NaN;
    }
    double mean = sum / m;
    return Math.sqrt(Math.max(0, (squares - m * mean * mean) / (m - 1)));
  }

  /** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /**
   * {@code resamples} replicates of a ratio of sums, {@code 1000 * sum(tokens) / sum(latencyMs)}
   * (tokens per second), over pairs resampled with replacement: throughput from whole batches.
   */
  public static double[] throughputs(
      double[] latencyMs, double[] tokens, int resamples, SplittableRandom rng) {
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
   * Hierarchical replicates of a figure over several runs (Kalibera and Jones): each replicate
   * draws {@code runs.length} runs with replacement and, for each drawn run, one of its call-level
   * replicates at random (its calls resampled with replacement), and returns the geometric mean of
   * the drawn figures: the baseline of {@code compare --baseline last:N}. {@code runs[r][b]} is
   * replicate b of run r's figure; with one run its replicates are returned.
   */
  public static double[] hierarchical(double[][] runs, int resamples, SplittableRandom rng) {
    if (runs.length == 1) {
      return runs[0];
    }
    double[] out = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double logs = 0;
      for (int d = 0; d < runs.length; d++) {
        double[] run = runs[rng.nextInt(runs.length)];
        logs += Math.log(run[rng.nextInt(run.length)]);
      }
      out[b] = Math.exp(logs / runs.length);
    }
    return out;
  }

  /** The geometric mean of positive figures (NaN when any is not): the baseline of several runs. */
  public static double geometricMean(double[] xs) {
    double logs = 0;
    for (double x : xs) {
      logs += Math.log(x);
    }
    return xs.length == 0 ? Double.NaN : Math.exp(logs / xs.length);
  }

  /**
   * The percentile interval of {@code ratios} at {@code confidence} (e.g. 0.95), ignoring undefined
   * replicates; null when more than 1% of them are undefined (a zero baseline).
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
