package dev.llmsweep.compare;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A finished comparison of a run with its baseline, as read back from the written {@code
 * comparisons} table (driver side).
 *
 * @param run the run
 * @param baseline the baseline run
 * @param settings threshold, confidence, resamples and seed
 * @param table where the {@code comparisons} rows were written
 * @param rows every row, points in a stable order, metrics in {@link Metric} order
 * @param baselineRuns the baseline's runs: the baseline itself, or the history's (latest first)
 * @param spread the run-to-run spread the verdicts were made with
 * @param runEnvironment the run's probes
 * @param baselineEnvironments each baseline run's probes, in {@code baselineRuns} order
 * @param environment the machine's change from the baseline (the median of its runs) to the run
 */
public record Comparison(
    String run,
    String baseline,
    ComparePointsFunction.Settings settings,
    String table,
    List<ComparisonRow> rows,
    List<String> baselineRuns,
    RunSpread spread,
    RunEnvironment runEnvironment,
    List<RunEnvironment> baselineEnvironments,
    EnvironmentChange environment) {

  /** Rows of metrics that got significantly slower. */
  public List<ComparisonRow> regressions() {
    return rows.stream().filter(ComparisonRow::slower).toList();
  }

  /** Whether any point regressed significantly (the exit code 3 condition). */
  public boolean regressed() {
    return !regressions().isEmpty();
  }

  /**
   * Points (experiment and parameters) with a verdict that applies to the whole point: present in
   * only the run or only the baseline, or unstable.
   */
  public Set<String> pointsWith(Verdict verdict) {
    Set<String> out = new LinkedHashSet<>();
    rows.stream().filter(r -> r.verdict().equals(verdict.label())).forEach(r -> out.add(r.point()));
    return out;
  }

  /** The figures whose change the machine's change explains (verdict {@code environment}). */
  public List<ComparisonRow> explainedByEnvironment() {
    return rows.stream().filter(r -> r.verdict().equals(Verdict.ENVIRONMENT.label())).toList();
  }

  /**
   * No regression, but some figure changed only as much as the machine did: the exit code 4
   * condition.
   */
  public boolean inconclusive() {
    return !regressed() && (!explainedByEnvironment().isEmpty() || nothingJudged());
  }

  /**
   * Every matched figure was left unjudged because its point drifted or its machine changed while
   * it ran (unstable, env changed) or had too few calls, and some for the first two reasons: "no
   * significant regression" would claim what nothing was compared for (a run beside a CPU hog had 7
   * unstable and 14 env-changed figures of 21). Also exit 4.
   */
  public boolean nothingJudged() {
    List<ComparisonRow> m = matched();
    boolean judged =
        m.stream()
            .anyMatch(
                r ->
                    r.verdict().equals(Verdict.SLOWER.label())
                        || r.verdict().equals(Verdict.FASTER.label())
                        || r.verdict().equals(Verdict.NO_CHANGE.label())
                        || r.verdict().equals(Verdict.ENVIRONMENT.label()));
    return !judged && (count(Verdict.UNSTABLE) > 0 || count(Verdict.ENV_CHANGED) > 0);
  }

  /** Rows of points present in both runs. */
  public List<ComparisonRow> matched() {
    return rows.stream()
        .filter(
            r ->
                !r.verdict().equals(Verdict.ONLY_IN_RUN.label())
                    && !r.verdict().equals(Verdict.ONLY_IN_BASELINE.label()))
        .toList();
  }

  /** Matched rows with the given verdict. */
  public long count(Verdict v) {
    return rows.stream().filter(r -> r.verdict().equals(v.label())).count();
  }
}
