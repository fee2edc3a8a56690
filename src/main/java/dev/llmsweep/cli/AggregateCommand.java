package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.store.Run;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code submit aggregate}: (re)writes the {@code points} table of a run from its raw rows. */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = "Write the points table of a run (ROOT/<run>/points) from its pooled raw rows.")
public final class AggregateCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();
  @Mixin RunsOption runs = new RunsOption();

  @Override
  public Integer call() {
    SelectedRun selected = SelectedRun.choose(where, runs.allRuns);
    if (selected.measured().isEmpty()) {
      selected.run().requireCommitted(); // throws, naming the run and its failures
    }
    for (Run run : selected.measured()) {
      long n = Aggregator.aggregate(selected.spark().newSession(), run);
      System.out.printf("run %s: %d points aggregated into %s%n", run.id(), n, run.pointsTable());
    }
    return 0;
  }
}
