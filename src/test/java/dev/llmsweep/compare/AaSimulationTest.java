package dev.llmsweep.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of whole comparisons, with data clustered as a static batch clusters it: each
 * generate call draws its prefill and its decode step time, every request of the call shares them
 * and adds its own small noise. A "run" has two points: 30 calls of 8 requests (p99 flagged: too
 * few calls) and 400 calls of 2 requests. Each comparison is judged as {@code compare} judges a
 * run: bootstrap by call on both sides, Holm over the run's 14 figures, 10% threshold.
 *
 * <ul>
 *   <li>A/A (both runs from one distribution, 200 comparisons): at most 5% of the figures get a
 *       slower or faster verdict, and at most 5% of the comparisons alarm at all.
 *   <li>A true 20% slowdown of every latency: flagged slower in at least 90% of the comparisons for
 *       every p50 figure, for the p99 figures of the point with 400 calls, and for throughput.
 *   <li>Resampling requests instead of calls (what {@code compare} used to do) alarms on far more
 *       than 5% of A/A comparisons: the check above can fail.
 * </ul>
 */
class AaSimulationTest {
  private static final int COMPARISONS = 200;
  private static final int RESAMPLES = 400;
  private static final int TOKENS = 16;

  /** The points of a run: calls x requests per call. */
  private static final int[][] RUN = {{30, 8}, {400, 2}};

  private static final ComparePointsFunction.Settings SETTINGS =
      new ComparePointsFunction.Settings(0.10, 0.95, RESAMPLES, 0);

  @Test
  void aaComparisonsRarelyCallAChange() {
    SplittableRandom rng = new SplittableRandom(7);
    int figures = 0;
    int changed = 0;
    int alarms = 0;
    for (int k = 0; k < COMPARISONS; k++) {
      List<Judged> judged = compare(rng, 1.0, true, RUN);
      long c =
          judged.stream()
              .filter(j -> j.verdict == Verdict.SLOWER || j.verdict == Verdict.FASTER)
              .count();
      figures += judged.size();
      changed += (int) c;
      alarms += judged.stream().anyMatch(j -> j.verdict == Verdict.SLOWER) ? 1 : 0;
    }
    double figureRate = changed / (double) figures;
    double alarmRate = alarms / (double) COMPARISONS;
    assertTrue(
        figureRate <= 0.05, "false change verdicts: " + figureRate + " of " + figures + " figures");
    assertTrue(alarmRate <= 0.05, "A/A comparisons with a regression verdict: " + alarmRate);
  }

  @Test
  void aTwentyPercentSlowdownIsFlagged() {
    SplittableRandom rng = new SplittableRandom(8);
    int[] flagged = new int[14];
    List<String> names = new ArrayList<>();
    for (int k = 0; k < COMPARISONS; k++) {
      List<Judged> judged = compare(rng, 1.2, true, RUN);
      names.clear();
      for (int i = 0; i < judged.size(); i++) {
        names.add(judged.get(i).name);
        flagged[i] += judged.get(i).verdict == Verdict.SLOWER ? 1 : 0;
      }
    }
    for (int i = 0; i < flagged.length; i++) {
      String name = names.get(i);
      boolean fewCalls = name.startsWith("30 calls") && name.contains("p99");
      double rate = flagged[i] / (double) COMPARISONS;
      if (!fewCalls) {
        assertTrue(rate >= 0.90, name + " flagged in " + rate + " of the comparisons");
      }
    }
  }

  @Test
  void resamplingRequestsInsteadOfCallsAlarmsOnAaRuns() {
    SplittableRandom rng = new SplittableRandom(9);
    int alarms = 0;
    int n = 40;
    for (int k = 0; k < n; k++) {
      // the quickstart's batch-64 point: 10 calls of 64 requests
      alarms +=
          compare(rng, 1.0, false, new int[][] {{10, 64}}).stream()
                  .anyMatch(j -> j.verdict == Verdict.SLOWER)
              ? 1
              : 0;
    }
    assertTrue(
        alarms / (double) n > 0.2,
        "request-level resampling should alarm often on A/A data: " + alarms + " of " + n);
  }

  private record Judged(String name, Verdict verdict) {}

  /**
   * One run compared with its baseline: two points, the run's latencies scaled by {@code slowdown}.
   */
  private static List<Judged> compare(
      SplittableRandom rng, double slowdown, boolean byCall, int[][] shapes) {
    List<PointComparison.Figure> all = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int[] shape : shapes) {
      PointSamples base = point(rng, shape[0], shape[1], 1.0, byCall);
      PointSamples run = point(rng, shape[0], shape[1], slowdown, byCall);
      for (PointComparison.Figure f :
          PointComparison.figures(run, base, SETTINGS, shape[0] + "x" + shape[1])) {
        all.add(f);
        names.add(shape[0] + " calls of " + shape[1] + ": " + f.metric().column());
      }
    }
    // as compare does: p99s of fewer than 100 calls get no verdict and stay out of the family
    double[] adjusted =
        Verdicts.holm(
            all.stream()
                .mapToDouble(
                    f ->
                        f.metric().fewSamples(Math.min(f.runCalls(), f.baselineCalls()))
                            ? Double.NaN
                            : f.pValue())
                .toArray());
    List<Judged> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      PointComparison.Figure f = all.get(i);
      boolean few = f.metric().fewSamples(Math.min(f.runCalls(), f.baselineCalls()));
      out.add(
          new Judged(
              names.get(i),
              few
                  ? Verdict.TOO_FEW_CALLS
                  : Verdicts.of(
                      f.ratio(),
                      adjusted[i],
                      0.05,
                      SETTINGS.threshold(),
                      f.metric().higherIsBetter())));
    }
    return out;
  }

  /** A point's measured calls; with {@code byCall} false every request is its own "call". */
  static PointSamples point(
      SplittableRandom rng, int calls, int batch, double slowdown, boolean byCall) {
    return point(rng, calls, batch, slowdown, slowdown, byCall);
  }

  /**
   * A point's measured calls with the prefill (TTFT) and the decode step scaled by their own
   * factors: a run's effect on each figure (HistorySimulationTest).
   */
  static PointSamples point(
      SplittableRandom rng,
      int calls,
      int batch,
      double prefillFactor,
      double stepFactor,
      boolean byCall) {
    List<double[]> ttft = new ArrayList<>();
    List<double[]> e2e = new ArrayList<>();
    List<double[]> tpot = new ArrayList<>();
    double[] latency = new double[calls];
    double[] tokens = new double[calls];
    for (int c = 0; c < calls; c++) {
      double prefill = prefillFactor * 20 * Math.exp(0.15 * gaussian(rng));
      double step = stepFactor * 2 * Math.exp(0.10 * gaussian(rng));
      double[] t = new double[batch];
      double[] e = new double[batch];
      double[] p = new double[batch];
      double slowest = 0;
      for (int r = 0; r < batch; r++) {
        t[r] = prefill + prefillFactor * 0.3 * Math.abs(gaussian(rng));
        e[r] = t[r] + (TOKENS - 1) * step + stepFactor * 0.5 * Math.abs(gaussian(rng));
        p[r] = (e[r] - t[r]) / (TOKENS - 1);
        slowest = Math.max(slowest, e[r]);
      }
      latency[c] = slowest + 0.1;
      tokens[c] = batch * TOKENS;
      if (byCall) {
        ttft.add(t);
        e2e.add(e);
        tpot.add(p);
      } else {
        for (int r = 0; r < batch; r++) {
          ttft.add(new double[] {t[r]});
          e2e.add(new double[] {e[r]});
          tpot.add(new double[] {p[r]});
        }
      }
    }
    return new PointSamples(ttft, e2e, tpot, latency, tokens);
  }

  static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
