package dev.llmsweep.cli;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.EnvironmentSummary;
import dev.llmsweep.job.CompareSettings;
import dev.llmsweep.report.Reports;
import dev.llmsweep.spark.SweepJob;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunLayout;
import dev.llmsweep.store.RunManifest;
import org.apache.spark.sql.SparkSession;

/**
 * The end of {@code submit JOB} (driver side): the run's summary lines, the points table, the
 * comparison against the job's baseline and the report. Apart from {@link RunCommand} because
 * picocli reflects on a command's methods and {@code submit generate} runs without Spark on the
 * classpath: no command class may name a Spark type in a method signature.
 */
final class RunEnd {
  private RunEnd() {}

  /**
   * After the sweep: its summary, the points table, the comparison and the report; returns the exit
   * code.
   */
  static int finish(
      SparkSession spark,
      CompareSettings compare,
      SweepJob.Result r,
      String resultsRoot,
      java.nio.file.Path job)
      throws Exception {
    Run run = r.run();
    RunManifest.Points points = r.manifest().points();
    int failed = points.failed();
    System.out.printf(
        "[llm-sweep] run %s %s: %d points committed (%d ran now, %d resumed), %d failed%n",
        r.runId(),
        r.manifest().status().label(),
        points.committed(),
        points.run(),
        r.skipped(),
        failed);
    System.out.println(
        "[llm-sweep] results: "
            + run.dir()
            + " (raw/p-<point_id>/requests.parquet,"
            + " batches.parquet; manifest.json"
            + (failed > 0 ? "; failed/p-<point_id>.json" : "")
            + ")");
    for (var f : r.failures()) {
      System.out.printf(
          "[llm-sweep] failed: point %s (%s, batch %d, max_tokens %d) %s during %s: %s%n",
          f.pointId(),
          f.setting().experiment(),
          f.setting().batchSize(),
          f.setting().maxTokens(),
          f.cause().reason().label(),
          f.cause().phase().label(),
          f.cause().message());
    }
    // a resume that ran nothing keeps the points table and report an earlier attempt wrote
    boolean upToDate = points.run() == 0 && run.pointsUpToDate();
    if (points.committed() > 0) {
      long aggregated = upToDate ? points.committed() : Aggregator.aggregate(spark, run);
      System.out.printf(
          "[llm-sweep] points table: %s (%d points%s); try: ./submit sql --results %s"
              + " \"SELECT * FROM batch_sweep\"  or  ./submit recommend --results %s --budget 2.5%n",
          run.pointsTable(), aggregated, upToDate ? ", up to date" : "", resultsRoot, resultsRoot);
      EnvironmentSummary environment = EnvironmentSummary.of(spark, run.pointsTable().toString());
      if (environment != null) {
        System.out.println(
            "[llm-sweep] "
                + environment.describe(
                    r.reports().isEmpty()
                        ? Double.NaN
                        : (r.lastTaskMillis() - r.firstTaskMillis()) / 1000.0));
      }
    }
    if (points.committed() > 0) {
      requestSummary(spark, run);
    }
    if (failed > 0 && points.committed() == 0 && !r.failures().isEmpty()) {
      // nothing was measured: say why at once, without a query
      System.out.println(
          "[llm-sweep] every point failed; the first: " + r.failures().get(0).cause().message());
    }
    if (failed > 0) {
      System.out.printf(
          "[llm-sweep] %d of %d points failed: ./submit sql --results %s --run-id %s"
              + " \"SELECT * FROM failures\"; retry them with ./submit %s --results %s --run-id %s%n",
          failed, points.planned(), resultsRoot, r.runId(), job, resultsRoot, r.runId());
    }
    // the run is committed (manifest, raw points, points table) before any verdict decides the exit
    // code;
    // the comparison comes before the report, which shows it
    int verdict =
        compare == null || compare.baseline() == null || points.committed() == 0
            ? 0
            : JobBaseline.compare(spark, run, compare);
    if (points.committed() > 0) {
      // after the results and the manifest are committed: a report that cannot be written (a font
      // library missing, a full disk) is said, with how to write it again, and changes neither the
      // run's status nor its exit code. (Inline: picocli reflects on this class's methods, and
      // `submit generate` runs without Spark on the classpath.)
      String runId = r.runId();
      try {
        org.apache.hadoop.fs.Path existing =
            new org.apache.hadoop.fs.Path(Reports.defaultPath(run));
        if (upToDate
            && (compare == null || compare.baseline() == null)
            && existing.getFileSystem(run.store().conf()).exists(existing)) {
          System.out.println("[llm-sweep] report: " + existing + " (up to date)");
        } else {
          String report =
              Reports.write(
                  spark.newSession(), run, Reports.DEFAULT_BUDGET_S, Reports.defaultPath(run));
          System.out.println(
              "[llm-sweep] report: " + report + " (plots in " + RunLayout.plots(run.dir()) + ")");
        }
      } catch (Exception | LinkageError | InternalError e) {
        // LinkageError, InternalError: the JDK's font or image libraries that failed to load
        System.out.println(
            "[llm-sweep] report failed (the run's results are committed and unchanged): "
                + e
                + "; write it again with ./submit report --results "
                + resultsRoot
                + " --run-id "
                + runId);
        e.printStackTrace();
      }
    }
    return failed > 0 ? 1 : verdict;
  }

  /**
   * The run's measured requests, how many failed and how many answered fewer tokens than max_tokens
   * under ignore_eos, from the points table: said once per run, with where to look.
   */
  private static void requestSummary(SparkSession spark, Run run) {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> points =
        spark.read().parquet(run.pointsTable().toString());
    // a points table written before short_outputs existed (a resume that ran nothing) has none
    boolean counted = java.util.Arrays.asList(points.columns()).contains("short_outputs");
    org.apache.spark.sql.Row t =
        points
            .selectExpr(
                "sum(requests)",
                "sum(failed_requests)",
                counted ? "sum(short_outputs)" : "CAST(0 AS BIGINT)")
            .first();
    long requests = t.isNullAt(0) ? 0 : t.getLong(0);
    long failedRequests = t.isNullAt(1) ? 0 : t.getLong(1);
    long shortOutputs = t.isNullAt(2) ? 0 : t.getLong(2);
    System.out.printf(
        "[llm-sweep] requests: %d measured, %d failed%s%n",
        requests,
        failedRequests,
        failedRequests > 0
            ? " (points.failed_requests, the report's warnings and the `error` column of requests"
                + " say which and why)"
            : "");
    if (shortOutputs > 0) {
      System.out.printf(
          "[llm-sweep] warning: %d of %d successful requests under ignore_eos answered fewer tokens"
              + " than max_tokens (points.short_outputs): the server may ignore ignore_eos and min_tokens, so these"
              + " points measure shorter outputs than they name%n",
          shortOutputs, requests - failedRequests);
    }
  }
}
