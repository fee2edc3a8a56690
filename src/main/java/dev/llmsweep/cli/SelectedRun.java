package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.store.RunStore;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The run an analysis command reads (driver side): {@code --run-id} or the latest run under
 * {@code --results} ({@link RunStore#requireCommitted}), aggregated when its {@code points} table
 * is missing or stale. Not a command: Spark types may appear here.
 */
record SelectedRun(SparkSession spark, RunStore root, String run) {

  static SelectedRun open(ResultsOptions where) {
    SparkSession spark = SparkSettings.analysisSession();
    RunStore root = RunStore.openExisting(where.results, spark.sparkContext().hadoopConfiguration());
    String run = root.requireCommitted(where.runId);
    Aggregator.ensureAggregated(spark.newSession(), root.uri(), List.of(run));
    return new SelectedRun(spark, root, run);
  }
}
