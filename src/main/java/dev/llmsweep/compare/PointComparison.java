package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compares one matched point's two sides figure by figure (executor side, inside
 * {@link ComparePointsFunction}; tests call it directly): each {@link Metric}'s value on both
 * sides, the ratio run / baseline, its percentile bootstrap interval and a two-sided p-value of
 * "no change", with both sides resampled by generate call. The verdict needs every figure of the
 * run ({@link Verdicts}), so it is not made here.
 */
public final class PointComparison {
  private static final double[] PS = {0.5, 0.99};

  private PointComparison() {}

  /**
   * One figure of one point.
   *
   * @param metric the figure
   * @param baselineValue its value on the baseline side, null without samples there
   * @param runValue its value on the run side
   * @param ratio run / baseline, null when undefined
   * @param ciLow lower bound of the ratio's bootstrap interval, null when undefined
   * @param ciHigh upper bound
   * @param pValue two-sided p-value of "no change", NaN when undefined
   * @param baselineSamples samples pooled on the baseline side (requests, or calls for throughput)
   * @param runSamples samples pooled on the run side
   * @param baselineCalls generate calls on the baseline side
   * @param runCalls generate calls on the run side
   */
  public record Figure(Metric metric, Double baselineValue, Double runValue, Double ratio, Double ciLow, Double ciHigh,
      double pValue, long baselineSamples, long runSamples, long baselineCalls, long runCalls) {}

  /**
   * Every {@link Metric} of a point, in {@link Metric} order. The random streams are seeded from
   * {@code seed} and {@code key} (the point's parameters), one per metric family and side.
   */
  public static List<Figure> figures(PointSamples run, PointSamples baseline, ComparePointsFunction.Settings settings,
      String key) {
    List<Figure> out = new ArrayList<>();
    for (String family : List.of("ttft", "e2e", "tpot")) {
      double[][] r = Bootstrap.canonical(run.family(family));
      double[][] b = Bootstrap.canonical(baseline.family(family));
      double[] rs = pooled(r);
      double[] bs = pooled(b);
      double[][] rr = rs.length == 0 || bs.length == 0 ? null
          : Bootstrap.clusteredQuantiles(r, PS, settings.resamples(), rng(settings.seed(), key, family, 1));
      double[][] bb = rs.length == 0 || bs.length == 0 ? null
          : Bootstrap.clusteredQuantiles(b, PS, settings.resamples(), rng(settings.seed(), key, family, 2));
      for (int i = 0; i < PS.length; i++) {
        Metric metric = Metric.valueOf(family.toUpperCase(java.util.Locale.ROOT) + (i == 0 ? "_P50" : "_P99"));
        Double rv = rs.length == 0 ? null : Bootstrap.quantile(rs, PS[i]);
        Double bv = bs.length == 0 ? null : Bootstrap.quantile(bs, PS[i]);
        double[] ratios = null;
        if (rr != null) {
          ratios = new double[settings.resamples()];
          for (int k = 0; k < ratios.length; k++) {
            ratios[k] = bb[k][i] > 0 ? rr[k][i] / bb[k][i] : Double.NaN;
          }
        }
        out.add(figure(metric, bv, rv, ratios, settings, bs.length, rs.length, nonEmpty(b), nonEmpty(r)));
      }
    }
    double[][] rb = sortedPairs(run.batchLatencyMs(), run.batchTokens());
    double[][] bbt = sortedPairs(baseline.batchLatencyMs(), baseline.batchTokens());
    double[] ratios = null;
    if (rb[0].length > 0 && bbt[0].length > 0) {
      double[] x = Bootstrap.throughputs(rb[0], rb[1], settings.resamples(), rng(settings.seed(), key, "throughput", 1));
      double[] y = Bootstrap.throughputs(bbt[0], bbt[1], settings.resamples(), rng(settings.seed(), key, "throughput", 2));
      ratios = new double[x.length];
      for (int k = 0; k < x.length; k++) {
        ratios[k] = y[k] > 0 ? x[k] / y[k] : Double.NaN;
      }
    }
    out.add(figure(Metric.THROUGHPUT, throughput(bbt), throughput(rb), ratios, settings, bbt[0].length, rb[0].length,
        bbt[0].length, rb[0].length));
    return out;
  }

  private static Figure figure(Metric metric, Double baselineValue, Double runValue, double[] ratios,
      ComparePointsFunction.Settings settings, long baselineSamples, long runSamples, long baselineCalls, long runCalls) {
    Double ratio = runValue != null && baselineValue != null && baselineValue > 0 ? runValue / baselineValue : null;
    double[] ci = ratios == null ? null : Bootstrap.interval(ratios, settings.confidence());
    double p = ratios == null || ratio == null ? Double.NaN : Bootstrap.pValue(ratio, ratios);
    return new Figure(metric, baselineValue, runValue, ratio, ci == null ? null : ci[0], ci == null ? null : ci[1], p,
        baselineSamples, runSamples, baselineCalls, runCalls);
  }

  private static long nonEmpty(double[][] calls) {
    return Arrays.stream(calls).filter(c -> c.length > 0).count();
  }

  private static double[] pooled(double[][] calls) {
    double[] out = Arrays.stream(calls).flatMapToDouble(Arrays::stream).toArray();
    Arrays.sort(out);
    return out;
  }

  /** Latencies and tokens of a side's measured batches, sorted by (latency, tokens). */
  private static double[][] sortedPairs(double[] latency, double[] tokens) {
    Integer[] idx = new Integer[latency.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> latency[a] != latency[b] ? Double.compare(latency[a], latency[b])
        : Double.compare(tokens[a], tokens[b]));
    double[][] out = new double[2][idx.length];
    for (int k = 0; k < idx.length; k++) {
      out[0][k] = latency[idx[k]];
      out[1][k] = tokens[idx[k]];
    }
    return out;
  }

  private static Double throughput(double[][] batches) {
    double lat = 0;
    double tok = 0;
    for (int k = 0; k < batches[0].length; k++) {
      lat += batches[0][k];
      tok += batches[1][k];
    }
    return lat > 0 ? 1000 * tok / lat : null;
  }

  /** One stream per point, metric family and side, independent of every other. */
  private static SplittableRandom rng(long seed, String key, String family, int side) {
    long h = seed;
    for (char c : (key + family + side).toCharArray()) {
      h = h * 1_000_003L + c;
    }
    return new SplittableRandom(h);
  }
}
