package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.store.RunStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code submit sql}: a query against the views, or the list of views and their columns. Like
 * every command class, no Spark type appears in a signature here: picocli reflects over the
 * methods of every command, also where Spark is not on the classpath ({@code submit generate}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Run a Spark SQL query against the views of conf/views.sql and print the result.",
        "Without a query: list the views and their columns."})
public final class SqlCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();

  @Parameters(arity = "0..1", paramLabel = "QUERY", description = "e.g. \"SELECT * FROM batch_sweep\"")
  String query;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--limit", defaultValue = "1000", description = "most rows printed (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    QueryOutput.Format out = QueryOutput.Format.parse(format);
    if (limit < 1) {
      throw new BadInputException("--limit must be at least 1");
    }
    SparkSession spark = SparkSettings.analysisSession();
    RunStore root = RunStore.openExisting(where.results, spark.sparkContext().hadoopConfiguration());
    List<String> runs;
    if (where.runId != null) {
      runs = List.of(root.resolveRun(where.runId));
    } else {
      runs = root.runs();
      if (runs.isEmpty()) {
        root.latestRun(); // throws the "no runs" message
      }
    }
    // a run whose points all failed is a run: its runs and failures views answer, the measurement views cannot
    List<String> measured = runs.stream().filter(r -> !root.committedPoints(r).isEmpty()).toList();
    for (String run : Aggregator.ensureAggregated(spark.newSession(), root.uri(), measured)) {
      System.err.println("aggregated run " + run + " (its points table was missing or older than its raw rows)");
    }
    Set<String> views = Set.of();
    if (measured.isEmpty()) {
      views = Set.of("runs", "failures", "comparisons");
      System.err.println("note: " + (runs.size() == 1 ? "run " + runs.get(0) + " has" : "the runs have")
          + " no committed points: only the views runs and failures are loaded");
    }
    for (String note : Views.load(spark, root.uri(), where.runId != null ? where.runId : "*", views)) {
      System.err.println("note: " + note);
    }
    if (query == null || query.isBlank()) {
      QueryOutput.listViews(Views.describe(spark), System.out);
      return 0;
    }
    Dataset<Row> result;
    try {
      result = spark.sql(query);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw new BadInputException("invalid query: " + e.getMessage().strip(), e);
      }
      throw e;
    }
    QueryOutput.print(result, out, limit, System.out, System.err);
    return 0;
  }
}
