package dev.llmsweep.cli;

import dev.llmsweep.analysis.Recommender;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.errors.BadInputException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code submit recommend}: the best configuration within a latency budget, and the sweet spot. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = {"The highest-throughput configuration whose batch latency (p50 and/or p99) fits a budget,",
        "and the sweet spot of each batch-size curve (Kneedle, recommended; the notebook's rule alongside)."})
public final class RecommendCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();
  @Mixin RunsOption runs = new RunsOption();

  @Option(names = "--budget", required = true, paramLabel = "SECONDS", description = "latency budget in seconds, e.g. 2.5")
  double budget;

  @Option(names = "--by", defaultValue = "both", description = "p50, p99, both, or energy: the most tokens per joule"
      + " whose p99 latency fits (GPU points with telemetry) (default: ${DEFAULT-VALUE})")
  String by;

  @Override
  public Integer call() {
    if (!Set.of("p50", "p99", "both", "energy").contains(by)) {
      throw new BadInputException("--by must be p50, p99, both or energy, not '" + by + "'");
    }
    if (!(budget > 0) || Double.isInfinite(budget)) {
      throw new BadInputException("--budget must be a positive number of seconds, not " + budget);
    }
    SelectedRun selected = SelectedRun.open(where, runs.allRuns);
    SparkSession spark = selected.spark();
    Views.load(spark, selected.root().uri(), selected.viewRun(), Set.of());
    Recommender recommender = new Recommender(spark);
    for (String run : selected.measured()) {
      recommend(recommender, run);
    }
    return 0;
  }

  private void recommend(Recommender recommender, String run) {
    System.out.printf("run %s: latency budget %.3f s on the batch latency (wall time of one generate call)%n", run, budget);
    for (String q : by.equals("both") ? List.of("p50", "p99") : List.of(by)) {
      System.out.println("  " + recommender.withinBudget(run, budget, q).describe());
    }
    List<SweetSpot> spots = recommender.sweetSpots(run);
    if (spots.isEmpty()) {
      System.out.println("  no sweet spot: no experiment sweeps at least 3 batch sizes of stable points (not unstable,"
          + " environment unchanged)");
    }
    for (SweetSpot s : spots) {
      System.out.println("  " + s.describe());
    }
  }
}
