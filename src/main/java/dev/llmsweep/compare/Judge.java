package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The verdicts of a comparison's figures (driver side; tests call it directly), made over all of
 * them at once. Three levels enter: the calls (the bootstrap of each figure), the runs (the
 * history's run-to-run spread, {@link RunSpread}, added to each figure's variance on the log scale)
 * and the machine (the probes' {@link EnvironmentChange}).
 *
 * <ol>
 *   <li>Each comparable figure's p-value of "no change" is that of its log ratio over {@code
 *       sqrt(se^2 + spread)}: the bootstrap standard error and the run-to-run variance a single new
 *       run carries, from Student's t with the spread's degrees of freedom (the bootstrap alone
 *       without a spread). Holm over the family, then the threshold ({@link Verdicts}).
 *   <li>When the machine changed beyond the threshold, a figure called slower (faster) is judged
 *       again with its ratio divided by the machine's slowdown (speedup), the largest probe change
 *       in that direction, with the same standard error and Holm over the family. If it is then no
 *       longer slower (faster), the machine explains it: verdict {@link Verdict#ENVIRONMENT}. If it
 *       still is, the change goes beyond what the machine explains and the verdict stands (a
 *       regression on a slower machine is still one).
 * </ol>
 */
public final class Judge {
  private Judge() {}

  /**
   * One figure to judge.
   *
   * @param point what identifies the point (experiment and parameters)
   * @param metric the figure
   * @param ratio run / baseline
   * @param pValue its p-value from the bootstrap alone (NaN when undefined)
   * @param seLog the bootstrap standard error of the log ratio
   * @param runSeLog the bootstrap standard error of the run side's log figure alone
   * @param baselineRunValues the figure of each baseline run
   * @param provisional a verdict already made (unstable, env changed, too few calls, not
   *     comparable, only in ...): such a figure stays out of the family; null otherwise
   */
  public record Input(
      String point,
      Metric metric,
      Double ratio,
      double pValue,
      double seLog,
      double runSeLog,
      double[] baselineRunValues,
      Verdict provisional) {

    /** A figure of {@link PointComparison} with its provisional verdict (null when comparable). */
    public static Input of(String point, PointComparison.Figure f, Verdict provisional) {
      return new Input(
          point,
          f.metric(),
          f.ratio(),
          f.pValue(),
          f.seLog(),
          f.runSeLog(),
          f.baselineRunValues(),
          provisional);
    }
  }

  /**
   * A judged figure.
   *
   * @param pValue the p-value with the run-to-run spread (NaN outside the family)
   * @param pHolm its Holm adjustment (NaN outside the family)
   * @param verdict the verdict
   * @param envFactor the machine's slowdown (or speedup) the figure was judged against, null when
   *     the environment did not enter its verdict
   */
  public record Output(double pValue, double pHolm, Verdict verdict, Double envFactor) {}

  /** What a comparison means for the exit code. */
  public enum Outcome {
    /** No figure slower, none explained by the machine: exit 0. */
    PASS,
    /** Some figure slower beyond the threshold and the history's spread: exit 3. */
    REGRESSION,
    /** No figure slower, but some changed only as much as the machine did: inconclusive, exit 4. */
    ENVIRONMENT
  }

  /** A regression outweighs an environment verdict: a slower figure on any machine exits 3. */
  public static Outcome outcome(Collection<Verdict> verdicts) {
    if (verdicts.contains(Verdict.SLOWER)) {
      return Outcome.REGRESSION;
    }
    return verdicts.contains(Verdict.ENVIRONMENT) ? Outcome.ENVIRONMENT : Outcome.PASS;
  }

  /**
   * Judges every figure of a comparison.
   *
   * @param env the machine's change, null when unknown (no probes)
   */
  public static List<Output> judge(
      List<Input> figures,
      double threshold,
      double confidence,
      RunSpread spread,
      EnvironmentChange env) {
    int n = figures.size();
    double alpha = 1 - confidence;
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      Input f = figures.get(i);
      p[i] =
          f.provisional() != null
              ? Double.NaN
              : spread.variance(f.metric()) > 0
                  ? pValue(f.ratio(), f.seLog(), spread, f.metric())
                  : f.pValue();
    }
    double[] holm = Verdicts.holm(p);
    Verdict[] verdict = new Verdict[n];
    for (int i = 0; i < n; i++) {
      Input f = figures.get(i);
      verdict[i] =
          f.provisional() != null
              ? f.provisional()
              : Verdicts.of(f.ratio(), holm[i], alpha, threshold, f.metric().higherIsBetter());
    }
    Double[] factor = new Double[n];
    if (env != null && env.changed()) {
      double[] adjustedP = p.clone();
      Double[] adjusted = new Double[n];
      for (int i = 0; i < n; i++) {
        Input f = figures.get(i);
        double e =
            verdict[i] == Verdict.SLOWER
                ? env.slowdown()
                : verdict[i] == Verdict.FASTER ? env.speedup() : 1;
        if (e != 1) {
          // the ratio as the machine's change would leave it: time divided, throughput multiplied
          adjusted[i] = f.metric().higherIsBetter() ? f.ratio() * e : f.ratio() / e;
          adjustedP[i] = pValue(adjusted[i], f.seLog(), spread, f.metric());
          factor[i] = e;
        }
      }
      double[] adjustedHolm = Verdicts.holm(adjustedP);
      for (int i = 0; i < n; i++) {
        boolean shared =
            verdict[i] == Verdict.SLOWER
                ? env.contended()
                : verdict[i] == Verdict.FASTER && env.relieved();
        if (shared) {
          // a shared CPU explains any slowdown of a parallel engine, not one in proportion
          verdict[i] = Verdict.ENVIRONMENT;
        } else if (adjusted[i] != null
            && Verdicts.of(
                    adjusted[i],
                    adjustedHolm[i],
                    alpha,
                    threshold,
                    figures.get(i).metric().higherIsBetter())
                != verdict[i]) {
          verdict[i] = Verdict.ENVIRONMENT;
        }
      }
    }
    List<Output> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Output(p[i], holm[i], verdict[i], factor[i]));
    }
    return out;
  }

  /**
   * Two-sided p-value of "no change" of a log-normal ratio with standard error {@code sqrt(se^2 +
   * spread)}: Student's t with the spread's degrees of freedom when it was estimated, else the
   * normal.
   */
  static double pValue(Double ratio, double seLog, RunSpread spread, Metric metric) {
    if (ratio == null || !(ratio > 0) || !Double.isFinite(ratio) || !Double.isFinite(seLog)) {
      return Double.NaN;
    }
    double variance = spread.added(metric);
    double sd = Math.sqrt(seLog * seLog + variance);
    double z = Math.abs(Math.log(ratio));
    if (sd == 0) {
      return z == 0 ? 1 : 0;
    }
    return variance > 0
        ? StudentT.twoSided(z / sd, spread.degreesOfFreedom(metric))
        : Bootstrap.erfc(z / sd / Math.sqrt(2));
  }
}
