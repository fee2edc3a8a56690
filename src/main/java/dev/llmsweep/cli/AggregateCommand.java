package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.ResultsRoot;
import java.util.List;
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
    SparkSession spark = LocalSpark.session();
    ResultsRoot root = ResultsRoot.open(where.results, spark.sparkContext().hadoopConfiguration());
    List<String> runs = where.runId != null ? List.of(where.runId) : List.of(root.latestRun());
    for (String run : runs) {
      long n = Aggregator.aggregate(spark.newSession(), root.uri(), run);
      System.out.printf("run %s: %d points aggregated into %s/%s/points%n", run, n, root.uri(), run);
    }
    return 0;
  }
}
