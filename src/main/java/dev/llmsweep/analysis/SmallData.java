package dev.llmsweep.analysis;

import dev.llmsweep.store.Run;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * Spark settings for queries over a run's few thousand rows. Spark's defaults are made for data
 * that takes longer to read than to plan: over a typical run they cost more than the work itself.
 * Whole-stage code generation compiled each stage's generated Java (0.5-0.7 s each, eight stages
 * for the points table) to then run it over 2,000 rows; adaptive planning re-planned between
 * stages; and shuffles fanned out into as many tasks as the machine has cores. For such runs the
 * queries run interpreted, unplanned between stages, one task per stage: a two-point sweep's {@code
 * submit aggregate} took 10.4-10.9 s instead of 12.5-13.7 s, the sweep's end (points table,
 * compare, report) 32 s instead of 39 s (2-core AMD EPYC, 2026-12-07). Larger runs keep Spark's
 * defaults, under which their rows are read by generated code in parallel.
 */
public final class SmallData {
  /**
   * Raw rows up to this size (about half a million request rows) take the small-data settings:
   * interpreted, each query's rows take at most a few seconds at this size.
   */
  static final long MAX_RAW_BYTES = 32L << 20;

  private static final Map<String, String> SETTINGS =
      Map.of(
          "spark.sql.shuffle.partitions", "1",
          "spark.sql.adaptive.enabled", "false",
          "spark.sql.codegen.wholeStage", "false",
          "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  private SmallData() {}

  /** Whether the raw rows of {@code runs} together are small enough for {@link #settings}. */
  public static boolean small(List<Run> runs) {
    long bytes = 0;
    for (Run run : runs) {
      bytes += run.rawBytes();
    }
    return bytes <= MAX_RAW_BYTES;
  }

  /**
   * Gives {@code spark} the {@link #settings} when the runs are {@link #small}, else the values the
   * session started with for those keys (one session aggregates run after run, and a larger run
   * after a small one must not inherit the small one's settings); returns it.
   */
  public static SparkSession forRuns(SparkSession spark, List<Run> runs) {
    return small(runs) ? settings(spark) : started(spark);
  }

  /** Gives {@code spark} the values the session started with for the {@link #settings} keys. */
  public static SparkSession started(SparkSession spark) {
    for (String key : SETTINGS.keySet()) {
      // the value the session started with (the profile's, or llm-sweep's local defaults), else
      // Spark's own
      scala.Option<String> started = spark.sparkContext().getConf().getOption(key);
      if (started.isDefined()) {
        spark.conf().set(key, started.get());
      } else {
        spark.conf().unset(key);
      }
    }
    return spark;
  }

  /** The views whose rows are a run's raw rows (or as many): every other view has a row a point. */
  private static final Set<String> RAW_VIEWS = Set.of("requests", "batches", "probes");

  /**
   * {@link #forRuns} for a query that reads {@code views} (with the views they read): a query that
   * reads no raw view reads rows a point, a few hundred even for a run of millions of requests, and
   * takes the small-data settings whatever the run's size.
   */
  public static SparkSession forViews(SparkSession spark, Set<String> views, List<Run> runs) {
    return readsNoRawView(views) ? settings(spark) : forRuns(spark, runs);
  }

  /** Whether a query of {@code views} (and of the views they read) reads rows a point only. */
  public static boolean readsNoRawView(Set<String> views) {
    return Views.closure(views).stream().noneMatch(RAW_VIEWS::contains);
  }

  /**
   * One task per stage, no adaptive re-planning, and no generated code (expressions and stages
   * interpreted): for this session's later queries.
   */
  public static SparkSession settings(SparkSession spark) {
    SETTINGS.forEach(spark.conf()::set);
    return spark;
  }
}
