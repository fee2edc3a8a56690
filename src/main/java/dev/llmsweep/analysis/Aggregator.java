package dev.llmsweep.analysis;

import dev.llmsweep.metrics.RequestMetrics;
import dev.llmsweep.spark.JobGroup;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.Run;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a run's {@code points} table ({@code ROOT/<run_id>/points}) from its pooled raw rows with
 * Spark SQL ({@code points.sql}). Runs on the driver; the aggregation itself runs on the executors.
 * The sweep calls {@link #aggregate} after a run; {@code ./submit aggregate} and the query commands
 * call it when the table is missing or older than the last committed point.
 */
public final class Aggregator {

  /** The metric definitions stored in every row of {@code points}. */
  public static final String DEFINITIONS =
      RequestMetrics.DEFINITIONS
          + "; batch=wall time of one generate call (end - submit); throughput=generated tokens / sum of the"
          + " measured batch latencies (warm-ups and proxy calls excluded); proxy_ttft=wall time of a separate"
          + " max_tokens=1 call (the notebook's TTFT); latencies in ms; warm-up rows excluded from every figure;"
          + " endpoint requests: each timed from its own send (open loop: its scheduled arrival), failed requests"
          + " (error set) excluded from latencies; goodput=requests that succeeded within slo_ttft_ms and slo_tpot_ms"
          + " / measured wall time";

  /**
   * A point is {@code unstable} when the median decode step of the second half of its measured
   * calls differs from the first half's by more than this fraction (either way).
   */
  public static final double DRIFT_TOLERANCE = 0.25;

  private Aggregator() {}

  /**
   * Aggregates {@code run} into its {@code points} table, replacing an older one, and returns the
   * number of points. Leaves the temporary views {@code requests} and {@code batches} of that run,
   * and the functions of {@code functions.sql}, in the session.
   *
   * @throws MissingResultsException if the run has no committed points
   */
  public static long aggregate(SparkSession spark, Run run) {
    run.requireCommitted();
    SmallData.forRuns(spark, List.of(run));
    try (JobGroup group =
        JobGroup.set(
            spark.sparkContext(),
            "aggregate-" + run.id(),
            "llm-sweep: aggregate the points of run " + run.id())) {
      Path attempt = run.attemptPath("points");
      // one file: a run has at most thousands of points. Not cached for the count: a cached plan
      // keeps every shuffle partition (spark.sql.shuffle.partitions tasks, each deserialising
      // this large plan); the written file's footer has the count.
      pointsQuery(spark, run).coalesce(1).write().parquet(attempt.toString());
      long count = spark.read().parquet(attempt.toString()).count();
      run.replace(attempt, run.pointsTable());
      return count;
    }
  }

  /** Aggregates each run whose {@code points} table is missing or stale; returns those runs. */
  public static List<Run> ensureAggregated(SparkSession spark, List<Run> runs) {
    List<Run> done = runs.stream().filter(r -> !r.pointsUpToDate()).toList();
    for (Run run : done) {
      aggregate(spark, run);
    }
    return done;
  }

  /** The points of a run as a query (not written): {@code points.sql} over the run's raw views. */
  private static Dataset<Row> pointsQuery(SparkSession spark, Run run) {
    registerFunctions(spark);
    // keep hash aggregation for sweeps of many points: the default falls back to sorting every
    // input row once a task has seen 128 groups
    spark.conf().set("spark.sql.objectHashAggregate.sortBased.fallbackThreshold", "100000");
    Views.load(spark, run.store().uri(), run.id(), Set.of("requests", "batches", "probes"));
    RawColumns.fillMissing(spark);
    String sql = SqlScript.resource(Aggregator.class, "points.sql").statements().get(0);
    return spark.sql(
        sql,
        Map.<String, Object>of("definitions", DEFINITIONS, "drift_tolerance", DRIFT_TOLERANCE));
  }

  /** Registers {@code sample_summary} and the functions of {@code functions.sql}. */
  public static void registerFunctions(SparkSession spark) {
    SampleSummaryFunction.register(spark);
    for (String statement : SqlScript.resource(Aggregator.class, "functions.sql").statements()) {
      spark.sql(statement);
    }
  }
}
