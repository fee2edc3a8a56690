package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.ResultsRoot;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The run an analysis command reads (driver side): {@code --run-id} or the latest run under
 * {@code --results}, checked to have committed points and aggregated when its {@code points}
 * table is missing or stale. Not a command: Spark types may appear here.
 */
record SelectedRun(SparkSession spark, ResultsRoot root, String run) {

  static SelectedRun open(ResultsOptions where) {
    SparkSession spark = LocalSpark.session();
    ResultsRoot root = ResultsRoot.open(where.results, spark.sparkContext().hadoopConfiguration());
    String run = where.runId != null ? where.runId : root.latestRun();
    root.requireRun(run);
    Aggregator.ensureAggregated(spark.newSession(), root.uri(), List.of(run));
    return new SelectedRun(spark, root, run);
  }
}
