package dev.llmsweep.cli;

import dev.llmsweep.analysis.SessionViews;
import dev.llmsweep.errors.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code submit sql}: a query against the views, a script ({@code -f}), or, without either, the
 * interactive shell on one warm session. Like every command class, no Spark type appears in a
 * signature here: picocli reflects over the methods of every command, also where Spark is not on
 * the classpath ({@code submit generate}).
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL against the views of conf/views.sql (the latest run unless --run-id or --all-runs).",
      "With a QUERY: print its result. With -f FILE: run the file's statements in order.",
      "Without either: an interactive shell (statements end with ';'; \\d lists the views; \\q quits)."
    })
public final class SqlCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();
  @Mixin RunsOption runs = new RunsOption();

  @Parameters(
      arity = "0..1",
      paramLabel = "QUERY",
      description = "e.g. \"SELECT * FROM batch_sweep\"")
  String query;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "a file of ';'-separated statements")
  Path file;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = "--limit",
      defaultValue = "1000",
      description = "most rows printed (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    QueryOutput.Format out = QueryOutput.Format.parse(format);
    if (limit < 1) {
      throw new BadInputException("--limit must be at least 1");
    }
    if (file != null && query != null) {
      throw new BadInputException("give a QUERY or -f " + file + ", not both");
    }
    String script = file == null ? null : read(file);
    SelectedRun selected = SelectedRun.choose(where, runs.allRuns);
    SparkSession spark = selected.spark();
    for (dev.llmsweep.store.Run run :
        dev.llmsweep.analysis.Aggregator.ensureAggregated(
            spark.newSession(), selected.measured())) {
      System.err.println(
          "aggregated run "
              + run.id()
              + " (its points table was missing or older than its raw rows)");
    }
    // a run whose points all failed is a run: its runs and failures views answer, the measurement
    // views cannot
    Set<String> allowed = Set.of();
    if (selected.measured().isEmpty()) {
      allowed = Set.of("runs", "failures", "comparisons");
      System.err.println(
          "note: "
              + (selected.runs().size() == 1
                  ? "run " + selected.runs().get(0).id() + " has"
                  : "the runs have")
              + " no committed points: only the views runs, failures and comparisons are loaded");
    }
    // the shell asks many questions of one session: each view is read into memory once created
    boolean shellMode = query == null && script == null;
    SessionViews views =
        new SessionViews(
            spark,
            selected.root().uri(),
            selected.viewRun(),
            allowed,
            shellMode,
            note -> System.err.println("note: " + note));
    SqlRunner runner =
        new SqlRunner(views, out, limit, selected.runs().size(), System.out, System.err);
    if (query != null) {
      if (query.isBlank()) {
        throw new BadInputException(
            "the query is empty; give a statement, e.g. \"SELECT * FROM batch_sweep\"");
      }
      runner.execute(query, false);
      return 0;
    }
    SqlShell shell = new SqlShell(runner, System.out, System.err);
    if (script != null) {
      shell.executeAll(script);
      return shell.failed() == 0 ? 0 : ErrorHandler.BAD_INPUT;
    }
    boolean terminal = System.console() != null;
    if (terminal) {
      // at a terminal, the answers' row counts and errors go to stdout with the answers, in order
      // (stderr reaches the terminal through the launcher's filter, a pipe that may lag)
      runner = new SqlRunner(views, out, limit, selected.runs().size(), System.out, System.out);
      shell = new SqlShell(runner, System.out, System.out);
    }
    if (terminal) {
      System.out.printf(
          "llm-sweep sql on %s under %s: the views are created, and the per-point ones cached in"
              + " memory, when a statement first reads them%n",
          selected.runs().size() == 1
              ? "run " + selected.runs().get(0).id()
              : selected.runs().size() + " runs (--all-runs)",
          selected.root().uri());
    }
    return shell.run(System.in, terminal);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new BadInputException(
          "-f "
              + file
              + ": cannot be read ("
              + e.getMessage()
              + "); accepted: a file of"
              + " ';'-separated SQL statements");
    }
  }
}
