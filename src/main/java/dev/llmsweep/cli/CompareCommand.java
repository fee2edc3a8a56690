package dev.llmsweep.cli;

import dev.llmsweep.compare.Baselines;
import dev.llmsweep.compare.ComparePointsFunction;
import dev.llmsweep.compare.Comparer;
import dev.llmsweep.compare.Comparison;
import dev.llmsweep.compare.ComparisonReport;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.job.CompareSettings;
import dev.llmsweep.job.JobReader;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunStore;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code submit compare --run A --baseline B|previous|last:N}: compares a run with a baseline run,
 * or with the N latest completed runs of its job (the history, whose run-to-run spread then enters
 * every verdict), point by point; exits 3 when any figure got significantly slower, 4 when no
 * figure did but some changed only as much as the machine did. The threshold: {@code --threshold},
 * else the run's job file ({@code compare.threshold} in its manifest), else the default.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a run with a baseline run: p50/p99 TTFT, E2E, TPOT and throughput of every point",
      "matched by experiment and parameters, with bootstrap intervals and verdicts.",
      "Exit codes: 0 no significant regression, 3 a significant regression, 4 inconclusive: the machine changed",
      "(its probes moved beyond the threshold and explain every change), 2 bad input."
    })
public final class CompareCommand implements Callable<Integer> {
  @Option(
      names = "--results",
      defaultValue = "results",
      paramLabel = "ROOT",
      description = "results root, any Hadoop filesystem URI (default: ./${DEFAULT-VALUE})")
  String results;

  @Option(
      names = {"--run", "--run-id"},
      paramLabel = "ID",
      description = "the run to judge (default: the latest run)")
  String run;

  @Option(
      names = "--baseline",
      required = true,
      paramLabel = "ID|previous|last:N",
      description =
          "a run id; previous: the latest completed run of the same job started before the run; last:N:"
              + " the N latest such runs (their run-to-run spread enters the verdicts; at least 3 to estimate it)")
  String baseline;

  @Option(
      names = "--threshold",
      paramLabel = "FRACTION",
      description =
          "relative change that counts, e.g. 0.10 (default: the job file's compare.threshold, else 0.10)")
  Double threshold;

  @Option(
      names = "--resamples",
      defaultValue = "" + Comparer.DEFAULT_RESAMPLES,
      description = "bootstrap resamples per point and metric (default: ${DEFAULT-VALUE})")
  int resamples;

  @Option(
      names = "--seed",
      defaultValue = "" + Comparer.DEFAULT_SEED,
      description = "bootstrap seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws IOException {
    if (threshold != null) {
      CompareSettings.checkThreshold(threshold, "--threshold");
    }
    if (resamples < 100 || resamples > 100_000) {
      throw new BadInputException(
          "--resamples " + resamples + " is not accepted: give 100 to 100000");
    }
    SparkSession spark = SparkSettings.analysisSession();
    RunStore store = RunStore.openExisting(results, spark.sparkContext().hadoopConfiguration());
    Run judged = store.run(run);
    Baselines.Resolved base = Baselines.resolveAll(judged, baseline);
    double t = threshold != null ? threshold : jobThreshold(judged);
    Comparison c =
        Comparer.compare(
            spark,
            judged,
            base,
            new ComparePointsFunction.Settings(t, Comparer.CONFIDENCE, resamples, seed));
    ComparisonReport.print(c, System.out);
    return ErrorHandler.of(c);
  }

  /**
   * The run's job file threshold (its manifest's job_json), or the default for runs without one.
   */
  static double jobThreshold(Run run) {
    var m = run.manifest();
    if (m == null) {
      return JobReader.compareSettings("{}", run.id()).threshold();
    }
    return JobReader.compareSettings(m.path("job_json").toString(), "job file of run " + run.id())
        .threshold();
  }
}
