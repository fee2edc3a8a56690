package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compares one matched point's two sides figure by figure (executor side, inside {@link
 * ComparePointsFunction}; tests call it directly): each {@link Metric}'s value on both sides, the
 * ratio run / baseline, its percentile bootstrap interval and a two-sided p-value of "no change",
 * with both sides resampled by generate call. The verdict needs every figure of the run ({@link
 * Verdicts}), so it is not made here.
 */
public final class PointComparison {
  private static final double[] PS = {0.5, 0.99};

  private PointComparison() {}

  /**
   * One figure of one point.
   *
   * @param metric the figure
   * @param baselineValue its value on the baseline side (all baseline runs' samples pooled), null
   *     without samples there
   * @param runValue its value on the run side
   * @param ratio run / baseline, null when undefined
   * @param ciLow lower bound of the ratio's bootstrap interval, null when undefined
   * @param ciHigh upper bound
   * @param pValue two-sided p-value of "no change" from the bootstrap alone (calls, and baseline
   *     runs when there are several), NaN when undefined; {@link Judge} adds the run-to-run spread
   * @param baselineSamples samples pooled on the baseline side (requests, or calls for throughput)
   * @param runSamples samples pooled on the run side
   * @param baselineCalls generate calls on the baseline side
   * @param runCalls generate calls on the run side
   * @param seLog standard deviation of the log ratio over the bootstrap replicates (NaN: undefined)
   * @param runSeLog standard deviation of the log of the run side's replicates alone: how much a
   *     single run's figure moves with its calls
   * @param baselineRunValues the figure of each baseline run on its own (one value with one run)
   */
  public record Figure(
      Metric metric,
      Double baselineValue,
      Double runValue,
      Double ratio,
      Double ciLow,
      Double ciHigh,
      double pValue,
      long baselineSamples,
      long runSamples,
      long baselineCalls,
      long runCalls,
      double seLog,
      double runSeLog,
      double[] baselineRunValues) {}

  /**
   * Every figure of a point against one baseline run (see {@link #figures(PointSamples, List,
   * ComparePointsFunction.Settings, String)}).
   */
  public static List<Figure> figures(
      PointSamples run,
      PointSamples baseline,
      ComparePointsFunction.Settings settings,
      String key) {
    return figures(run, List.of(baseline), settings, key);
  }

  /**
   * Every {@link Metric} of a point, in {@link Metric} order, against one or more baseline runs.
   * With one baseline run, both sides are resampled by call. With several, the baseline's figure is
   * the geometric mean of the runs' own figures (pooling their samples would let the slowest run's
   * tail stand for all of them in a p99), resampled hierarchically: runs, then calls within them
   * ({@link Bootstrap#hierarchical}). The random streams are seeded from {@code seed} and {@code
   * key} (the point's parameters), one per metric family and side (and baseline run). Baseline runs
   * without samples of the point are left out.
   */
  public static List<Figure> figures(
      PointSamples run,
      List<PointSamples> baselines,
      ComparePointsFunction.Settings settings,
      String key) {
    List<PointSamples> present =
        baselines.stream()
            .filter(b -> !b.ttft().isEmpty() || b.batchLatencyMs().length > 0)
            .toList();
    if (present.isEmpty()) {
      present = List.of(PointSamples.none());
    }
    int runs = present.size();
    List<Figure> out = new ArrayList<>();
    for (String family : List.of("ttft", "e2e", "tpot")) {
      double[][] r = Bootstrap.canonical(run.family(family));
      double[][][] b =
          present.stream()
              .map(x -> Bootstrap.canonical(x.family(family)))
              .toArray(double[][][]::new);
      double[] rs = pooled(r);
      double[][] bs = Arrays.stream(b).map(PointComparison::pooled).toArray(double[][]::new);
      boolean defined = rs.length > 0 && Arrays.stream(bs).allMatch(x -> x.length > 0);
      double[][] rr =
          !defined
              ? null
              : Bootstrap.clusteredQuantiles(
                  r, PS, settings.resamples(), rng(settings.seed(), key, family, 1));
      double[][][] bb = new double[runs][][];
      for (int j = 0; defined && j < runs; j++) {
        // the first baseline run keeps the stream a single baseline always had
        bb[j] =
            Bootstrap.clusteredQuantiles(
                b[j], PS, settings.resamples(), rng(settings.seed(), key, family, 2 + 2 * j));
      }
      for (int i = 0; i < PS.length; i++) {
        Metric metric =
            Metric.valueOf(family.toUpperCase(java.util.Locale.ROOT) + (i == 0 ? "_P50" : "_P99"));
        Double rv = rs.length == 0 ? null : Bootstrap.quantile(rs, PS[i]);
        final int q = i;
        double[] perRun =
            Arrays.stream(bs)
                .mapToDouble(x -> x.length == 0 ? Double.NaN : Bootstrap.quantile(x, PS[q]))
                .toArray();
        Double bv =
            !Arrays.stream(bs).allMatch(x -> x.length > 0)
                ? null
                : runs == 1 ? perRun[0] : Bootstrap.geometricMean(perRun);
        double[] ratios = null;
        double[] runReplicates = null;
        if (rr != null) {
          double[][] perRunReplicates = new double[runs][settings.resamples()];
          for (int j = 0; j < runs; j++) {
            for (int k = 0; k < settings.resamples(); k++) {
              perRunReplicates[j][k] = bb[j][k][i];
            }
          }
          double[] base =
              Bootstrap.hierarchical(
                  perRunReplicates, settings.resamples(), rng(settings.seed(), key, family + i, 0));
          ratios = new double[settings.resamples()];
          runReplicates = new double[settings.resamples()];
          for (int k = 0; k < ratios.length; k++) {
            ratios[k] = base[k] > 0 ? rr[k][i] / base[k] : Double.NaN;
            runReplicates[k] = rr[k][i];
          }
        }
        out.add(
            figure(
                metric,
                bv,
                rv,
                ratios,
                runReplicates,
                perRun,
                settings,
                Arrays.stream(bs).mapToLong(x -> x.length).sum(),
                rs.length,
                Arrays.stream(b).mapToLong(PointComparison::nonEmpty).sum(),
                nonEmpty(r)));
      }
    }
    double[][] rb = sortedPairs(run.batchLatencyMs(), run.batchTokens());
    double[][][] bbt =
        present.stream()
            .map(x -> sortedPairs(x.batchLatencyMs(), x.batchTokens()))
            .toArray(double[][][]::new);
    boolean defined = rb[0].length > 0 && Arrays.stream(bbt).allMatch(t -> t[0].length > 0);
    double[] perRun =
        Arrays.stream(bbt)
            .mapToDouble(
                t -> {
                  Double v = throughput(t);
                  return v == null ? Double.NaN : v;
                })
            .toArray();
    double[] ratios = null;
    double[] x = null;
    if (defined) {
      x =
          Bootstrap.throughputs(
              rb[0], rb[1], settings.resamples(), rng(settings.seed(), key, "throughput", 1));
      double[][] perRunReplicates = new double[runs][];
      for (int j = 0; j < runs; j++) {
        perRunReplicates[j] =
            Bootstrap.throughputs(
                bbt[j][0],
                bbt[j][1],
                settings.resamples(),
                rng(settings.seed(), key, "throughput", 2 + 2 * j));
      }
      double[] y =
          Bootstrap.hierarchical(
              perRunReplicates, settings.resamples(), rng(settings.seed(), key, "throughput", 0));
      ratios = new double[x.length];
      for (int k = 0; k < x.length; k++) {
        ratios[k] = y[k] > 0 ? x[k] / y[k] : Double.NaN;
      }
    }
    Double baselineThroughput =
        !Arrays.stream(bbt).allMatch(t -> t[0].length > 0)
            ? null
            : runs == 1 ? throughput(bbt[0]) : Bootstrap.geometricMean(perRun);
    long baselineBatches = Arrays.stream(bbt).mapToLong(t -> t[0].length).sum();
    out.add(
        figure(
            Metric.THROUGHPUT,
            baselineThroughput,
            throughput(rb),
            ratios,
            x,
            perRun,
            settings,
            baselineBatches,
            rb[0].length,
            baselineBatches,
            rb[0].length));
    return out;
  }

  private static Figure figure(
      Metric metric,
      Double baselineValue,
      Double runValue,
      double[] ratios,
      double[] runReplicates,
      double[] baselineRunValues,
      ComparePointsFunction.Settings settings,
      long baselineSamples,
      long runSamples,
      long baselineCalls,
      long runCalls) {
    Double ratio =
        runValue != null && baselineValue != null && baselineValue > 0
            ? runValue / baselineValue
            : null;
    double[] ci = ratios == null ? null : Bootstrap.interval(ratios, settings.confidence());
    double p = ratios == null || ratio == null ? Double.NaN : Bootstrap.pValue(ratio, ratios);
    return new Figure(
        metric,
        baselineValue,
        runValue,
        ratio,
        ci == null ? null : ci[0],
        ci == null ? null : ci[1],
        p,
        baselineSamples,
        runSamples,
        baselineCalls,
        runCalls,
        Bootstrap.sdLog(ratios),
        Bootstrap.sdLog(runReplicates),
        baselineRunValues);
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
    Arrays.sort(
        idx,
        (a, b) ->
            latency[a] != latency[b]
                ? Double.compare(latency[a], latency[b])
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
