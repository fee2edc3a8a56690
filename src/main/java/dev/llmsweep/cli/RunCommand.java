package dev.llmsweep.cli;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.RunEndedException;
import dev.llmsweep.job.CompareSettings;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Planner;
import dev.llmsweep.job.RunIds;
import dev.llmsweep.spark.ClusterFit;
import dev.llmsweep.spark.GeneratorFactory;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.spark.StopSignal;
import dev.llmsweep.spark.SweepJob;
import dev.llmsweep.store.Build;
import dev.llmsweep.store.RunStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code submit JOB} (or {@code submit run JOB}): plan the job (every problem reported before Spark
 * starts or anything is written), then run it on Spark and commit each point's raw rows, aggregate
 * the points table, write the report and, when the job names a baseline ({@code compare.baseline}),
 * compare the run with it. Exit codes: 0 every point committed; 1 the run stopped, or some points
 * failed (recorded under {@code failed/}, listed by the {@code failures} view; the rest committed
 * and aggregated); 2 bad input (job file, model directory, arguments, an unwritable results root, a
 * run id of another job); 3 a significant regression against the baseline, after everything is
 * committed.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a job file's sweep on Spark (the default subcommand: ./submit jobs/x.conf).")
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "job file, e.g. jobs/quickstart.conf")
  Path job;

  @Mixin ResultsOptions results;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() throws Exception {
    Plan plan = Planner.plan(job);
    if (results.runId != null) {
      RunIds.check(results.runId, "--run-id");
    }
    CompareSettings compare = plan.job().compare();
    Map<String, String> settings = ClusterFit.check(plan, sparkOptions.resolveSweep(plan.job()));
    LocalGpuCheck.require(plan.job(), settings);
    SparkSession spark = SparkSettings.session(settings);
    StopSignal.install(spark.sparkContext());
    try {
      ClusterFit.awaitExecutors(spark, settings);
      RunStore store = RunStore.open(results.results, spark.sparkContext().hadoopConfiguration());
      store.requireWritable();
      checkBaseline(store, compare);
      SweepJob.Result r =
          new SweepJob(
                  spark,
                  store,
                  new SweepJob.Options(
                      results.runId,
                      settings.get(GeneratorFactory.PROPERTY),
                      System.out,
                      Version.project(),
                      Build.current().manifestCommit()))
              .run(plan);
      try {
        return RunEnd.finish(spark, compare, r, results.results, job);
      } catch (Exception e) {
        if (!StopSignal.requested()) {
          throw e;
        }
        throw new RunEndedException(
            r.manifest().points().committed()
                + " of "
                + r.manifest().points().planned()
                + " points committed (the sweep had ended); the points table and report: ./submit aggregate --results "
                + results.results
                + " --run-id "
                + r.runId()
                + ", then ./submit report --results "
                + results.results
                + " --run-id "
                + r.runId(),
            true);
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * A baseline run id named in the job file must exist before anything runs (exit 2, nothing
   * written); {@code previous} and {@code last:N} name no run, and a first run has none to compare
   * with (the comparison says so after the run).
   */
  private static void checkBaseline(RunStore store, CompareSettings compare) {
    String b = compare.baseline();
    if (b != null
        && !b.equals(CompareSettings.PREVIOUS)
        && CompareSettings.lastCount(b) == null
        && !store.exists(b)) {
      throw new BadInputException(
          "compare.baseline "
              + b
              + ": no such run under "
              + store.root()
              + "; runs there: "
              + (store.runs().isEmpty() ? "(none)" : String.join(", ", store.runs()))
              + "; accepted: "
              + CompareSettings.ACCEPTED_BASELINES);
    }
  }
}
