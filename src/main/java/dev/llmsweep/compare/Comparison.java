package dev.llmsweep.compare;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A finished comparison of a run with its baseline, as read back from the written
 * {@code comparisons} table (driver side).
 *
 * @param run the run
 * @param baseline the baseline run
 * @param settings threshold, confidence, resamples and seed
 * @param table where the {@code comparisons} rows were written
 * @param rows every row, points in a stable order, metrics in {@link Metric} order
 */
public record Comparison(String run, String baseline, ComparePointsFunction.Settings settings, String table,
    List<ComparisonRow> rows) {

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

  /** Rows of points present in both runs. */
  public List<ComparisonRow> matched() {
    return rows.stream().filter(r -> !r.verdict().equals(Verdict.ONLY_IN_RUN.label())
        && !r.verdict().equals(Verdict.ONLY_IN_BASELINE.label())).toList();
  }

  /** Matched rows with the given verdict. */
  public long count(Verdict v) {
    return rows.stream().filter(r -> r.verdict().equals(v.label())).count();
  }
}
