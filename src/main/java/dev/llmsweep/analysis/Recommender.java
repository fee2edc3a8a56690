package dev.llmsweep.analysis;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.store.MissingResultsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Answers the notebook's two questions from the views (driver side; the views must be loaded):
 * the best configuration within a latency budget, by p50 and by p99 ({@code budget.sql} over
 * {@code budget_frontier}), and the sweet spot of each batch-size curve ({@code sweet_spot}, both
 * rules; the Kneedle one is the recommendation).
 */
public final class Recommender {
  private final SparkSession spark;

  public Recommender(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * The best configuration of {@code runId} whose batch latency quantile {@code by} is within
   * {@code budgetS}, or the fastest one when none fits; unstable points and points whose
   * environment changed are skipped (and named). {@code by = energy}: of the points whose p99
   * latency fits, the one of most tokens per joule (points with GPU telemetry only).
   */
  public Recommendation withinBudget(String runId, double budgetS, String by) {
    if (!(budgetS > 0) || Double.isInfinite(budgetS)) {
      throw new BadInputException("the latency budget must be a positive number of seconds, not " + budgetS);
    }
    if (!by.equals("p50") && !by.equals("p99") && !by.equals("energy")) {
      throw new BadInputException("--by must be p50, p99 or energy, not " + by);
    }
    String sql = SqlScript.resource(Recommender.class, "budget.sql").statements().get(0);
    List<Row> rows = spark.sql(sql, Map.<String, Object>of("run", runId, "by", by, "budget_s", budgetS))
        .collectAsList();
    List<String> unstable = skipped(runId, "unstable");
    List<String> envChanged = skipped(runId, "env_changed AND NOT unstable");
    if (rows.isEmpty() && !(unstable.isEmpty() && envChanged.isEmpty()) && !by.equals("energy")) {
      // every measured point was left out: nothing to recommend, and the line says why
      return new Recommendation(runId, by, budgetS, null, false, unstable, envChanged, Double.NaN);
    }
    if (rows.isEmpty() && by.equals("energy")) {
      throw new MissingResultsException("run '" + runId + "' has no point with a measured energy (tokens per joule"
          + " needs GPU telemetry: nvidia-smi on the executors of GPU points)");
    }
    if (rows.isEmpty()) {
      throw new MissingResultsException("run '" + runId + "' has no point with a measured batch latency");
    }
    Row r = rows.get(0);
    Object perJoule = r.getAs("tokens_per_joule");
    return new Recommendation(runId, by, budgetS, Choice.of(r, "latency_s", "few_samples"), r.getAs("fits"),
        unstable, envChanged, by.equals("energy") && perJoule != null ? ((Number) perJoule).doubleValue() : Double.NaN);
  }

  /** The run's points of the frontier view that {@code condition} (SQL over its columns) leaves out. */
  private List<String> skipped(String runId, String condition) {
    return spark.sql("SELECT point_id FROM budget_frontier WHERE run_id = :run AND " + condition
        + " ORDER BY point_id", Map.<String, Object>of("run", runId)).collectAsList().stream()
        .map(x -> x.getString(0)).toList();
  }

  /** The sweet spots of the run's batch-size curves, both rules, the recommended one first. */
  public List<SweetSpot> sweetSpots(String runId) {
    List<SweetSpot> out = new ArrayList<>();
    String sql = SqlScript.resource(Recommender.class, "sweet_spots.sql").statements().get(0);
    List<Row> rows = spark.sql(sql, Map.<String, Object>of("run", runId)).collectAsList();
    for (Row r : rows) {
      out.add(new SweetSpot(r.getAs("rule"), r.getAs("used_by_recommend"), Choice.of(r, "latency_p50_s", null),
          ((Number) r.getAs("curve_points")).longValue(), ((Number) r.getAs("unstable_points_skipped")).longValue(),
          ((Number) r.getAs("env_changed_points_skipped")).longValue()));
    }
    return out;
  }
}
