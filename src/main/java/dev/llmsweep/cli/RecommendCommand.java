package dev.llmsweep.cli;

import dev.llmsweep.analysis.Capacity;
import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.Recommender;
import dev.llmsweep.analysis.SmallData;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.store.Run;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code submit recommend}: the best configuration within a latency budget, and the sweet spot; for
 * a run with open-loop sweeps, their capacity ({@link Capacity}) and, with {@code --rate}, the
 * servers a target rate needs.
 */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = {
      "The highest-throughput configuration whose batch latency (p50 and/or p99) fits a budget,",
      "and the sweet spot of each batch-size curve (Kneedle, recommended; the notebook's rule alongside);",
      "under each answer, what the points' 95%% intervals (widened by the job's earlier runs) leave open:",
      "a range of batch sizes or one alone, a tie or a clear winner.",
      "For open-loop sweeps (request_rate): the highest rate with goodput >= 95%% of the offered rate within",
      "the SLOs, and with --rate R the servers R requests/s need."
    })
public final class RecommendCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();
  @Mixin RunsOption runs = new RunsOption();

  @Option(
      names = "--budget",
      paramLabel = "SECONDS",
      description =
          "latency budget in seconds, e.g. 2.5 (needed unless every measured run has open-loop sweeps)")
  Double budget;

  @Option(
      names = "--rate",
      paramLabel = "REQ_PER_S",
      description =
          "a target request rate: how many servers of each open-loop sweep's capacity it needs")
  Double rate;

  @Option(
      names = "--by",
      defaultValue = "both",
      description =
          "p50, p99, both, or energy: the most tokens per joule"
              + " whose p99 latency fits (GPU points with telemetry) (default: ${DEFAULT-VALUE})")
  String by;

  @Override
  public Integer call() {
    if (!Set.of("p50", "p99", "both", "energy").contains(by)) {
      throw new BadInputException("--by must be p50, p99, both or energy, not '" + by + "'");
    }
    if (budget != null && (!(budget > 0) || Double.isInfinite(budget))) {
      throw new BadInputException("--budget must be a positive number of seconds, not " + budget);
    }
    if (rate != null && (!(rate > 0) || Double.isInfinite(rate))) {
      throw new BadInputException(
          "--rate must be a positive number of requests per second, not " + rate);
    }
    SelectedRun selected = SelectedRun.open(where, runs.allRuns);
    SparkSession spark = selected.spark();
    // a run's points are a few hundred rows at most: one task per stage, no adaptive planning
    // (Spark's defaults ran each query below as 2-13 jobs with planning between them) and no code
    // generation (compiling each query's generated Java cost more than running it interpreted)
    SmallData.settings(spark);
    // only the views the recommendations read: creating each of the others would cost about a
    // second; each read into memory once, as the queries below read them again and again
    Set<String> views = Recommender.views();
    Views.load(spark, selected.root().uri(), selected.viewRun(), views);
    Views.materialiseSmall(spark, views);
    Recommender recommender = Recommender.withEarlierRuns(spark);
    for (Run run : selected.measured()) {
      recommend(Capacity.of(spark, run.id()), recommender, run);
    }
    return 0;
  }

  /** No Spark type in a command's method signature: picocli reflects on them, also for generate. */
  private void recommend(List<Capacity.Sweep> sweeps, Recommender recommender, Run run) {
    if (!sweeps.isEmpty()) {
      System.out.printf("run %s: capacity of its open-loop sweeps%n", run);
      for (Capacity.Sweep s : sweeps) {
        System.out.println("  " + s.describe(rate == null ? 0 : rate));
      }
    }
    if (budget == null) {
      if (sweeps.isEmpty()) {
        throw new BadInputException(
            "run "
                + run
                + " has no open-loop sweep (request_rate): give --budget SECONDS"
                + " for the best configuration within a latency budget");
      }
      return;
    }
    System.out.printf(
        "run %s: latency budget %.3f s on the batch latency (wall time of one generate call)%n",
        run, budget);
    System.out.println("  " + recommender.spread(run).describe());
    for (String q : by.equals("both") ? List.of("p50", "p99") : List.of(by)) {
      Recommendation r = recommender.withinBudget(run, budget, q);
      System.out.println("  " + r.describe());
      for (String line : r.describeUncertainty(false)) {
        System.out.println("    " + line);
      }
    }
    List<SweetSpot> spots = recommender.sweetSpots(run);
    if (spots.isEmpty()) {
      System.out.println(
          "  no sweet spot: no experiment sweeps at least 3 batch sizes of stable points (not unstable,"
              + " environment unchanged)");
    }
    for (SweetSpot s : spots) {
      System.out.println("  " + s.describe());
      if (!s.describeRange().isEmpty()) {
        System.out.println("    " + s.describeRange());
      }
    }
  }
}
