package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.ResultsRoot;
import dev.llmsweep.report.Reports;
import dev.llmsweep.spark.GeneratorFactory;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.spark.SweepJob;
import dev.llmsweep.spec.Plan;
import dev.llmsweep.spec.Planner;
import dev.llmsweep.store.RunStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code submit JOB} (or {@code submit run JOB}): plan the job (every problem reported before
 * Spark starts or anything is written), then run it on Spark and commit each point's raw rows.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a job file's sweep on Spark (the default subcommand: ./submit jobs/x.conf).")
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "job file, e.g. jobs/quickstart.conf")
  Path job;

  @Mixin
  ResultsOptions results;

  @Mixin
  SparkOptions sparkOptions;

  @Override
  public Integer call() throws Exception {
    Plan plan = Planner.plan(job);
    if (results.runId != null) {
      RunStore.checkRunId(results.runId);
    }
    Map<String, String> settings = sparkOptions.resolve(plan.job());
    SparkSession spark = SparkSettings.session(settings);
    try {
      RunStore store = RunStore.open(results.results, spark.sparkContext().hadoopConfiguration());
      SweepJob.Result r = new SweepJob(spark, store, new SweepJob.Options(results.runId,
          settings.get(GeneratorFactory.PROPERTY), System.out, Version.project(), BuildInfo.gitCommit())).run(plan);
      System.out.printf("[llm-sweep] run %s %s: %d points committed (%d ran now, %d resumed)%n", r.runId(),
          r.manifest().status(), r.manifest().pointsCommitted(), r.manifest().pointsRun(), r.skipped());
      System.out.println("[llm-sweep] results: " + store.runDir(r.runId()) + " (raw/p-<point_id>/requests.parquet,"
          + " batches.parquet; manifest.json)");
      long points = Aggregator.aggregate(spark, results.results, r.runId());
      System.out.printf("[llm-sweep] points table: %s/points (%d points); try: ./submit sql --results %s"
          + " \"SELECT * FROM batch_sweep\"  or  ./submit recommend --results %s --budget 2.5%n",
          store.runDir(r.runId()), points, results.results, results.results);
      String root = ResultsRoot.open(results.results, spark.sparkContext().hadoopConfiguration()).uri();
      String report = Reports.write(spark.newSession(), root, r.runId(), Reports.DEFAULT_BUDGET_S,
          Reports.defaultPath(root, r.runId()));
      System.out.println("[llm-sweep] report: " + report + " (plots in " + store.runDir(r.runId()) + "/plots)");
    } finally {
      spark.stop();
    }
    return 0;
  }
}
