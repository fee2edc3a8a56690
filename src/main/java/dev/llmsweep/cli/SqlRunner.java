package dev.llmsweep.cli;

import dev.llmsweep.analysis.SessionViews;
import dev.llmsweep.analysis.SmallData;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.errors.BadInputException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * Runs SQL statements on one session, each after the views it reads are created, and prints each
 * result (driver side): what {@code sql QUERY}, {@code sql -f FILE} and the interactive shell
 * share.
 */
final class SqlRunner {
  private final SessionViews views;
  private final SparkSession spark;
  private final QueryOutput.Format format;
  private final int limit;
  private final int runs;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param runs how many runs the views hold (more than one: results without run_id get a note)
   */
  SqlRunner(
      SessionViews views,
      QueryOutput.Format format,
      int limit,
      int runs,
      PrintStream out,
      PrintStream err) {
    this.views = views;
    this.spark = views.spark();
    this.format = format;
    this.limit = limit;
    this.runs = runs;
    this.out = out;
    this.err = err;
  }

  /** The views, every one of them created (what {@code \\d} lists). */
  Map<String, List<String>> describeViews() {
    // the shell reads the point-level views into memory as it creates them: small-data settings
    SmallData.settings(spark);
    views.loadAll();
    return Views.describe(spark);
  }

  /**
   * Runs one statement and prints its result; a bad statement is a one-line {@link
   * BadInputException}.
   */
  void execute(String statement, boolean timed) {
    long start = System.nanoTime();
    // the views it reads are created, and the shell's point-level ones read into memory, with the
    // small-data settings; so is a statement of the point-level views, which reads a few hundred
    // rows whatever the run's size; one of the raw rows gets the session's own settings
    SmallData.settings(spark);
    if (!SmallData.readsNoRawView(views.loadFor(statement))) {
      SmallData.started(spark);
    }
    Dataset<Row> result;
    try {
      result = spark.sql(statement);
    } catch (Exception e) {
      if (e instanceof AnalysisException a) {
        throw new BadInputException(describe(a), e);
      }
      throw e;
    }
    QueryOutput.print(result, format, limit, out, err, timed ? start : -1);
    if (runs > 1
        && result.columns().length > 0
        && !Arrays.asList(result.columns()).contains("run_id")) {
      err.println(
          "note: the views hold "
              + runs
              + " runs (--all-runs) and this result has no run_id column:"
              + " select run_id to tell their rows apart");
    }
  }

  /**
   * One line for an analysis error: Spark's first line without the plan it appends; an unknown view
   * also lists the views. A syntax error keeps its pointer under the statement.
   */
  String describe(AnalysisException a) {
    String message = a.getMessage().strip();
    if (a instanceof ParseException) {
      return "invalid query: " + message;
    }
    int nl = message.indexOf('\n');
    String first = nl < 0 ? message : message.substring(0, nl).strip();
    if ("TABLE_OR_VIEW_NOT_FOUND".equals(a.getCondition())) {
      first =
          first.replaceFirst(" Verify the spelling.*$", "")
              + "; views: "
              + String.join(", ", describeViews().keySet());
    }
    return "invalid query: " + first;
  }
}
