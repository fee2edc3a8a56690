package dev.llmsweep.analysis;

import dev.llmsweep.store.Run;
import java.util.List;
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

  private SmallData() {}

  /** Whether every one of {@code runs} is small enough for {@link #settings}. */
  public static boolean small(List<Run> runs) {
    long bytes = 0;
    for (Run run : runs) {
      bytes += run.rawBytes();
    }
    return bytes <= MAX_RAW_BYTES;
  }

  /** Applies {@link #settings} to {@code spark} when the runs are {@link #small}; returns it. */
  public static SparkSession forRuns(SparkSession spark, List<Run> runs) {
    if (small(runs)) {
      settings(spark);
    }
    return spark;
  }

  /**
   * One task per stage, no adaptive re-planning, and no generated code (expressions and stages
   * interpreted): for this session's later queries.
   */
  public static SparkSession settings(SparkSession spark) {
    spark.conf().set("spark.sql.shuffle.partitions", "1");
    spark.conf().set("spark.sql.adaptive.enabled", "false");
    spark.conf().set("spark.sql.codegen.wholeStage", "false");
    spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    return spark;
  }
}
