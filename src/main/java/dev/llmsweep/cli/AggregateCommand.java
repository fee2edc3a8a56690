package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.store.RunStore;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code submit aggregate}: (re)writes the {@code points} table of a run from its raw rows. */
@Command(name = "aggregate", mixinStandardHelpOptions = true,
    description = "Write the points table of a run (ROOT/<run>/points) from its pooled raw rows.")
public final class AggregateCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();

  @Override
  public Integer call() {
    SparkSession spark = SparkSettings.analysisSession();
    RunStore root = RunStore.openExisting(where.results, spark.sparkContext().hadoopConfiguration());
    String run = root.requireCommitted(where.runId);
    long n = Aggregator.aggregate(spark.newSession(), root.uri(), run);
    System.out.printf("run %s: %d points aggregated into %s%n", run, n, root.pointsTable(run));
    return 0;
  }
}
