package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunStore;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The runs an analysis command reads (driver side), one rule for {@code sql}, {@code recommend},
 * {@code aggregate} and {@code report}: {@code --run-id}, else every run with {@code --all-runs},
 * else the latest run under {@code --results} ({@link RunStore#latestRun}). Runs with committed
 * points are aggregated when their {@code points} table is missing or stale. Not a command: Spark
 * types may appear here.
 *
 * @param runs the chosen runs, oldest first
 * @param measured those of them with committed points
 */
record SelectedRun(SparkSession spark, RunStore root, List<Run> runs, List<Run> measured) {

  /** The runs, of which at least one has committed points (recommend, aggregate, report). */
  static SelectedRun open(ResultsOptions where, boolean allRuns) {
    SelectedRun s = choose(where, allRuns);
    if (s.measured.isEmpty()) {
      s.runs.get(s.runs.size() - 1).requireCommitted(); // throws, naming the run and its failures
    }
    for (Run run : Aggregator.ensureAggregated(s.spark.newSession(), s.measured)) {
      System.err.println(
          "aggregated run "
              + run.id()
              + " (its points table was missing or older than its raw rows)");
    }
    return s;
  }

  /**
   * The runs, measured or not (sql: a run whose points all failed still has its runs and failures
   * views).
   */
  static SelectedRun choose(ResultsOptions where, boolean allRuns) {
    if (allRuns && where.runId != null) {
      throw new BadInputException(
          "--all-runs and --run-id " + where.runId + " exclude each other; give one");
    }
    SparkSession spark = SparkSettings.analysisSession();
    RunStore root =
        RunStore.openExisting(where.results, spark.sparkContext().hadoopConfiguration());
    List<Run> runs;
    if (allRuns) {
      runs = root.runs().stream().map(root::at).toList();
      if (runs.isEmpty()) {
        root.latestRun(); // throws the "no runs" message
      }
    } else {
      runs = List.of(root.run(where.runId));
    }
    List<Run> measured = runs.stream().filter(Run::hasCommittedPoints).toList();
    return new SelectedRun(spark, root, runs, measured);
  }

  /** The single run, or the latest one of several (what a one-run answer reads). */
  Run run() {
    return measured.isEmpty() ? runs.get(runs.size() - 1) : measured.get(measured.size() - 1);
  }

  /** The value of the views' {@code run} variable: the run, or {@code *} for several. */
  String viewRun() {
    return runs.size() == 1 ? runs.get(0).id() : "*";
  }
}
