package dev.llmsweep.analysis;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.Run;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Answers the notebook's two questions from the views (driver side; the views must be loaded): the
 * best configuration within a latency budget, by p50 and by p99 ({@code budget.sql} over {@code
 * budget_frontier}), and the sweet spot of each batch-size curve ({@code sweet_spot}, both rules;
 * the Kneedle one is the recommendation). Each answer carries what the points' 95% intervals leave
 * open ({@link Ranges}), the intervals widened by the run-to-run spread of the job's earlier runs
 * when made by {@link #withEarlierRuns} ({@link RunSpread}).
 */
public final class Recommender {
  private final SparkSession spark;
  private final boolean earlierRuns;
  private final Map<String, RunSpread> spreads = new HashMap<>();

  /**
   * Query results by run, read once: the budget is answered by p50 and by p99 and the sweet spots
   * after them, from the same intervals and the same skipped points (each query re-plans its SQL:
   * 1-5 s for the intervals on the 2-core machine).
   */
  private final Map<String, Map<String, Row>> intervals = new HashMap<>();

  private final Map<String, Skipped> skipped = new HashMap<>();

  /**
   * The run's points of the frontier view that recommend leaves out, both kinds from one query:
   * unstable ones, and those whose environment changed (and are not unstable), each by point id.
   */
  private record Skipped(List<String> unstable, List<String> envChanged) {}

  /** Answers with each run's own intervals (no earlier runs read). */
  public Recommender(SparkSession spark) {
    this(spark, false);
  }

  private Recommender(SparkSession spark, boolean earlierRuns) {
    this.spark = spark;
    this.earlierRuns = earlierRuns;
  }

  /**
   * Answers whose intervals take in the spread over the earlier runs of each run's job under its
   * results root.
   */
  public static Recommender withEarlierRuns(SparkSession spark) {
    return new Recommender(spark, true);
  }

  /**
   * The views its queries read, with those they read in turn: what a caller must load (the unstable
   * points' query reads budget_frontier, as budget.sql does).
   */
  public static Set<String> views() {
    StringBuilder read = new StringBuilder();
    for (String query :
        List.of(
            "budget.sql",
            "sweet_spots.sql",
            "sweet_spot_curves.sql",
            "point_intervals.sql",
            "capacity.sql")) {
      read.append(SqlScript.resource(Recommender.class, query).statements().get(0)).append('\n');
    }
    return Views.readBy(read.toString());
  }

  /**
   * The best configuration of {@code run} whose batch latency quantile {@code by} is within {@code
   * budgetS}, or the fastest one when none fits; unstable points and points whose environment
   * changed are skipped (and named). {@code by = energy}: of the points whose p99 latency fits, the
   * one of most tokens per joule (points with GPU telemetry only). Its candidates are those the
   * intervals cannot tell from it ({@link Ranges#budget}).
   */
  public Recommendation withinBudget(Run run, double budgetS, String by) {
    String runId = run.id();
    if (!(budgetS > 0) || Double.isInfinite(budgetS)) {
      throw new BadInputException(
          "the latency budget must be a positive number of seconds, not " + budgetS);
    }
    if (!by.equals("p50") && !by.equals("p99") && !by.equals("energy")) {
      throw new BadInputException("--by must be p50, p99 or energy, not " + by);
    }
    String sql = SqlScript.resource(Recommender.class, "budget.sql").statements().get(0);
    List<Row> rows =
        spark
            .sql(sql, Map.<String, Object>of("run", runId, "by", by, "budget_s", budgetS))
            .collectAsList();
    List<String> unstable = skipped(runId).unstable();
    List<String> envChanged = skipped(runId).envChanged();
    if (rows.isEmpty() && !(unstable.isEmpty() && envChanged.isEmpty()) && !by.equals("energy")) {
      // every measured point was left out: nothing to recommend, and the line says why
      return new Recommendation(
          runId, by, budgetS, null, false, unstable, List.of(), envChanged, Double.NaN);
    }
    if (rows.isEmpty() && by.equals("energy")) {
      throw new MissingResultsException(
          "run '"
              + runId
              + "' has no point with a measured energy (tokens per joule"
              + " needs GPU telemetry: nvidia-smi on the executors of GPU points)");
    }
    if (rows.isEmpty()) {
      throw new MissingResultsException(
          "run '" + runId + "' has no point with a measured batch latency");
    }
    Row r = rows.get(0);
    Object perJoule = r.getAs("tokens_per_joule");
    Map<String, Row> intervals = intervals(runId);
    // energy ranks points whose p99 latency fits: their latency intervals are the p99's
    String quantile = by.equals("energy") ? "p99" : by;
    List<Candidate> ranked = new ArrayList<>();
    for (Row x : rows) {
      ranked.add(
          candidate(
              Choice.of(x, "latency_s", "few_samples"),
              intervals.get(x.<String>getAs("point_id")),
              quantile,
              spread(run)));
    }
    boolean fits = r.getAs("fits");
    // by energy the ranking is by tokens per joule, not throughput: no throughput ties to report
    List<Candidate> candidates =
        by.equals("energy") ? List.of() : Ranges.budget(ranked, budgetS, fits);
    return new Recommendation(
        runId,
        by,
        budgetS,
        ranked.get(0).choice(),
        fits,
        unstable,
        candidates,
        envChanged,
        by.equals("energy") && perJoule != null ? ((Number) perJoule).doubleValue() : Double.NaN);
  }

  private Skipped skipped(String runId) {
    return skipped.computeIfAbsent(runId, this::querySkipped);
  }

  private Skipped querySkipped(String runId) {
    List<String> unstable = new ArrayList<>();
    List<String> envChanged = new ArrayList<>();
    for (Row r :
        spark
            .sql(
                "SELECT point_id, unstable, env_changed FROM budget_frontier"
                    + " WHERE run_id = :run AND (unstable OR env_changed) ORDER BY point_id",
                Map.<String, Object>of("run", runId))
            .collectAsList()) {
      // as SQL reads NOT unstable: a NULL there is neither unstable nor stable
      Boolean isUnstable = r.isNullAt(1) ? null : r.getBoolean(1);
      if (Boolean.TRUE.equals(isUnstable)) {
        unstable.add(r.getString(0));
      } else if (Boolean.FALSE.equals(isUnstable) && !r.isNullAt(2) && r.getBoolean(2)) {
        envChanged.add(r.getString(0));
      }
    }
    return new Skipped(List.copyOf(unstable), List.copyOf(envChanged));
  }

  /**
   * The sweet spots of the run's batch-size curves, both rules, the recommended one first, each
   * with its range.
   */
  public List<SweetSpot> sweetSpots(Run run) {
    String runId = run.id();
    List<SweetSpot> out = new ArrayList<>();
    String sql = SqlScript.resource(Recommender.class, "sweet_spots.sql").statements().get(0);
    List<Row> rows = spark.sql(sql, Map.<String, Object>of("run", runId)).collectAsList();
    Map<List<Object>, List<Candidate>> curves = rows.isEmpty() ? Map.of() : curves(run);
    for (Row r : rows) {
      Choice choice = Choice.of(r, "latency_p50_s", null);
      List<Candidate> curve = curves.getOrDefault(curveKey(r), List.of());
      List<Candidate> range =
          curve.isEmpty() ? List.of() : Ranges.sweetSpot(r.getAs("rule"), curve, choice.pointId());
      out.add(
          new SweetSpot(
              r.getAs("rule"),
              r.getAs("used_by_recommend"),
              choice,
              ((Number) r.getAs("curve_points")).longValue(),
              ((Number) r.getAs("unstable_points_skipped")).longValue(),
              range,
              Ranges.contiguous(range, curve),
              ((Number) r.getAs("env_changed_points_skipped")).longValue()));
    }
    return out;
  }

  /**
   * The earlier runs of the run's job whose figures widen its intervals (none without a results
   * root).
   */
  public RunSpread spread(Run run) {
    return spreads.computeIfAbsent(
        run.id(), r -> earlierRuns ? RunSpread.of(spark, run) : RunSpread.none(null));
  }

  /**
   * The run's batch-size curves as the sweet_spot view takes them, by curve key, with their p50
   * intervals.
   */
  private Map<List<Object>, List<Candidate>> curves(Run run) {
    String runId = run.id();
    String sql = SqlScript.resource(Recommender.class, "sweet_spot_curves.sql").statements().get(0);
    Map<String, Row> intervals = intervals(runId);
    Map<List<Object>, List<Candidate>> out = new LinkedHashMap<>();
    for (Row r : spark.sql(sql, Map.<String, Object>of("run", runId)).collectAsList()) {
      Choice c = Choice.of(r, "latency_p50_s", null);
      out.computeIfAbsent(curveKey(r), k -> new ArrayList<>())
          .add(candidate(c, intervals.get(c.pointId()), "p50", spread(run)));
    }
    return out;
  }

  /**
   * A curve of the sweet_spot view: one experiment and one setting of every other axis (seed
   * included).
   */
  private static List<Object> curveKey(Row r) {
    return List.of(
        r.getAs("experiment"),
        r.getAs("max_tokens"),
        r.getAs("prompt_tokens"),
        r.getAs("temperature"),
        r.getAs("top_p"),
        r.getAs("top_k"),
        r.getAs("seed"));
  }

  private Map<String, Row> intervals(String runId) {
    return intervals.computeIfAbsent(runId, this::queryIntervals);
  }

  private Map<String, Row> queryIntervals(String runId) {
    String sql = SqlScript.resource(Recommender.class, "point_intervals.sql").statements().get(0);
    Map<String, Row> out = new HashMap<>();
    for (Row r : spark.sql(sql, Map.<String, Object>of("run", runId)).collectAsList()) {
      out.put(r.getAs("point_id"), r);
    }
    return out;
  }

  /**
   * The choice with the intervals of its {@code by} batch latency and its throughput, each widened
   * to take in the point's figures in the job's earlier runs.
   */
  static Candidate candidate(Choice c, Row intervals, String by, RunSpread spread) {
    if (intervals == null) {
      return new Candidate(
          c, Estimate.of(c.latencyS(), null, null), Estimate.of(c.throughput(), null, null));
    }
    Estimate p50 =
        Estimate.of(
            intervals.getAs("latency_p50_s"),
            intervals.getAs("latency_p50_low_s"),
            intervals.getAs("latency_p50_high_s"));
    Estimate latency =
        by.equals("p50")
            ? p50
            : Estimate.of(
                c.latencyS(),
                intervals.getAs("latency_p99_low_s"),
                intervals.getAs("latency_p99_high_s"));
    Estimate throughput = p50.throughputOf(c.throughput());
    for (RunSpread.Figures f : spread.of(c.pointId())) {
      latency = latency.widen(by.equals("p50") ? f.latencyP50S() : f.latencyP99S());
      throughput = throughput.widen(f.throughput());
    }
    return new Candidate(c, latency, throughput);
  }
}
