package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.RawRows;
import dev.llmsweep.analysis.SweepFixture;
import dev.llmsweep.analysis.SweepFixture.Known;
import dev.llmsweep.cli.Submit.Outcome;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code submit recommend} and {@code submit sql} end to end (through {@link Main#execute}) on a
 * run whose every point's p50, p99 and throughput are known: budgets that every, some and no
 * configuration fits, the query formats, the view listing and each kind of bad input.
 */
@SparkOnly
class AnalysisCommandsTest {
  static Path root;
  static List<Known> known;

  @BeforeAll
  static void fixture() {
    root = SweepFixture.root();
    known = SweepFixture.known();
    // the commands join this context, which reads each file in one task, as the commands' own
    dev.llmsweep.analysis.TestSpark.newWholeFileSession();
  }

  static Outcome submit(String... args) {
    return Submit.run(args);
  }

  static Outcome recommend(double budget) {
    return submit(
        "recommend",
        "--budget",
        String.valueOf(budget),
        "--results",
        root.toString(),
        "--run-id",
        SweepFixture.RUN);
  }

  /** The best point within the budget, computed here from the known figures. */
  static Optional<Known> best(double budget, ToDoubleFunction<Known> latency) {
    return known.stream()
        .filter(k -> latency.applyAsDouble(k) <= budget)
        .max(Comparator.comparingDouble(Known::throughput));
  }

  static String line(Outcome o, String prefix) {
    return o.out()
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line '" + prefix + "' in:\n" + o.out() + o.err()));
  }

  @Test
  void aBudgetSomeConfigurationsFit() {
    Outcome o = recommend(2.5);
    assertEquals(0, o.code(), o.err());
    Known p50 = best(2.5, Known::p50S).orElseThrow();
    Known p99 = best(2.5, Known::p99S).orElseThrow();
    assertEquals(16, p50.batchSize());
    assertEquals(8, p99.batchSize());
    assertTrue(line(o, "by p50:").contains("batch_size=16 (experiment batch"), o.out());
    assertTrue(
        line(o, "by p50:").contains(String.format(Locale.ROOT, "%.1f tokens/s", p50.throughput())),
        o.out());
    assertTrue(line(o, "by p99:").contains("batch_size=8 (experiment batch"), o.out());
    assertTrue(line(o, "by p99:").contains("p99 over 3 calls"), o.out());
    assertTrue(line(o, "sweet spot (Kneedle").contains("[recommended]: batch_size=8"), o.out());
    assertTrue(line(o, "sweet spot (notebook rule").contains("batch_size=16"), o.out());
  }

  @Test
  void aBudgetEveryConfigurationFits() {
    Outcome o = recommend(1000);
    assertEquals(0, o.code(), o.err());
    Known top = known.stream().max(Comparator.comparingDouble(Known::throughput)).orElseThrow();
    assertEquals(64, top.batchSize());
    assertTrue(line(o, "by p50:").contains("batch_size=64 (experiment batch"), o.out());
    assertTrue(line(o, "by p99:").contains("batch_size=64 (experiment batch"), o.out());
  }

  @Test
  void aBudgetNothingFitsSaysSoAndNamesTheFastest() {
    Outcome o = recommend(0.5);
    assertEquals(0, o.code(), o.err());
    assertTrue(best(0.5, Known::p50S).isEmpty());
    Known fastest = known.stream().min(Comparator.comparingDouble(Known::p50S)).orElseThrow();
    String p50 = line(o, "by p50:");
    assertTrue(p50.contains("nothing fits a 0.500 s budget"), p50);
    assertTrue(p50.contains(String.format(Locale.ROOT, "takes %.3f s", fastest.p50S())), p50);
  }

  @Test
  void byOneQuantileOnly() {
    Outcome o = submit("recommend", "--budget", "2.5", "--by", "p99", "--results", root.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("by p99:") && !o.out().contains("by p50:"), o.out());
  }

  @Test
  void sqlPrintsCsvAndJson() {
    Outcome csv =
        submit(
            "sql",
            "SELECT batch_size, latency_p50_s FROM batch_sweep ORDER BY batch_size",
            "--results",
            root.toString(),
            "--format",
            "csv");
    assertEquals(0, csv.code(), csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals("batch_size,latency_p50_s", lines.get(0));
    assertEquals(SweepFixture.BATCH.length + 1, lines.size());
    assertEquals("8,1.3", lines.get(4));
    Outcome json =
        submit(
            "sql",
            "SELECT rule, batch_size FROM sweet_spot ORDER BY rule",
            "--results",
            root.toString(),
            "--run-id",
            SweepFixture.RUN,
            "--format",
            "json");
    assertEquals(0, json.code(), json.err());
    assertTrue(json.out().contains("{\"rule\":\"kneedle\",\"batch_size\":8}"), json.out());
    Outcome table =
        submit(
            "sql",
            "SELECT batch_size, throughput_tokens_per_s FROM batch_sweep WHERE batch_size = 8",
            "--results",
            root.toString());
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().startsWith("batch_size | throughput_tokens_per_s"), table.out());
  }

  @Test
  void aggregateWritesThePointsAndQueriesReaggregateAfterNewPoints(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    org.apache.spark.sql.SparkSession spark = dev.llmsweep.analysis.TestSpark.newWholeFileSession();
    List<RawRows.Batch> batches = List.of(new RawRows.Batch(0, false, false, "1", 100, 10));
    List<RawRows.Request> requests =
        List.of(
            new RawRows.Request(
                0, false, false, 0, "1", 6, 10, 5, new double[] {1}, 1.0, 90, "length"));
    new RawRows(spark, dir, "r1").add(RawRows.Point.batch("one", 1), requests, batches, 1).commit();
    Outcome first = submit("aggregate", "--results", dir.toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("run r1: 1 points aggregated"), first.out());
    Outcome count =
        submit(
            "sql",
            "SELECT count(*) AS n FROM points",
            "--results",
            dir.toString(),
            "--format",
            "csv");
    assertEquals("n\n1\n", count.out());
    assertTrue(!count.err().contains("aggregated run"), "up to date: " + count.err());
    new RawRows(spark, dir, "r1").add(RawRows.Point.batch("two", 2), requests, batches, 1).commit();
    Outcome again =
        submit(
            "sql",
            "SELECT count(*) AS n FROM points",
            "--results",
            dir.toString(),
            "--format",
            "csv");
    assertEquals("n\n2\n", again.out());
    assertTrue(again.err().contains("aggregated run r1"), again.err());
  }

  /** {@code submit sql} with what a user types on stdin (no terminal: no prompts, plain lines). */
  static Outcome shell(String typed, String... args) {
    java.io.InputStream in = System.in;
    try {
      System.setIn(
          new java.io.ByteArrayInputStream(
              typed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      return submit(args);
    } finally {
      System.setIn(in);
    }
  }

  @Test
  void theShellRunsStatementsOverSeveralLinesOnOneSession() {
    Outcome o =
        shell(
            "\\d\nSELECT batch_size, latency_p50_s\n  FROM batch_sweep\n  ORDER BY batch_size;\n"
                + "SELECT nope FROM points;\nSHOW VIEWS;\n\\d sweet_spot\n\\q\nSELECT 'not read';\n",
            "sql",
            "--results",
            root.toString());
    assertEquals(2, o.code(), "a statement failed: " + o.err());
    List<String> out = o.out().lines().toList();
    for (String view : dev.llmsweep.analysis.Views.NAMES) {
      // every view, comparisons too: never compared, it is empty
      assertTrue(
          out.stream().anyMatch(l -> l.matches(view + " \\(\\d+ columns\\)")),
          "\\d lists " + view + ": " + o.out());
    }
    assertTrue(out.contains("batch_size | latency_p50_s"), o.out());
    assertTrue(out.stream().anyMatch(l -> l.matches("8 +\\| 1\\.3")), o.out());
    assertTrue(
        out.stream().anyMatch(l -> l.matches(" *\\| batch_sweep +\\| true")),
        "SHOW VIEWS: " + o.out());
    assertTrue(out.contains("  rule string"), "\\d VIEW lists its columns: " + o.out());
    assertTrue(!o.out().contains("not read"), "\\q ends the shell: " + o.out());
    List<String> errors = o.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), o.err());
    assertTrue(
        errors
            .get(0)
            .startsWith(
                "error: invalid query: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable,"
                    + " or function parameter with name `nope` cannot be resolved."),
        errors.get(0));
    assertTrue(
        o.err()
            .lines()
            .anyMatch(l -> l.matches("\\(" + SweepFixture.BATCH.length + " rows, [\\d.]+ s\\)")),
        "rows and time per query: " + o.err());
  }

  @Test
  void sqlRunsAScriptFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path script =
        java.nio.file.Files.writeString(
            dir.resolve("q.sql"),
            "-- two statements\n"
                + "SELECT count(*) AS n\nFROM points;\nSELECT max(batch_size) AS biggest FROM batch_sweep;\n");
    Outcome o =
        submit("sql", "-f", script.toString(), "--results", root.toString(), "--format", "csv");
    assertEquals(0, o.code(), o.err());
    assertEquals("n\n" + known.size() + "\nbiggest\n64\n", o.out());
  }

  @Test
  void everyAnalysisCommandReadsTheLatestRunUnlessAllRuns(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    org.apache.spark.sql.SparkSession spark = dev.llmsweep.analysis.TestSpark.newWholeFileSession();
    List<RawRows.Batch> batches = List.of(new RawRows.Batch(0, false, false, "1", 100, 10));
    List<RawRows.Request> requests =
        List.of(
            new RawRows.Request(
                0, false, false, 0, "1", 6, 10, 5, new double[] {1}, 1.0, 90, "length"));
    new RawRows(spark, dir, "older")
        .add(RawRows.Point.batch("one", 1), requests, batches, 1)
        .commit();
    new RawRows(spark, dir, "newer")
        .add(RawRows.Point.batch("two", 2), requests, batches, 1)
        .commit();
    Outcome latest =
        submit(
            "sql",
            "SELECT run_id, batch_size FROM points",
            "--results",
            dir.toString(),
            "--format",
            "csv");
    assertEquals("run_id,batch_size\nnewer,2\n", latest.out(), latest.err());
    Outcome all =
        submit(
            "sql",
            "SELECT run_id, batch_size FROM points ORDER BY run_id",
            "--results",
            dir.toString(),
            "--format",
            "csv",
            "--all-runs");
    assertEquals("run_id,batch_size\nnewer,2\nolder,1\n", all.out(), all.err());
    Outcome noRunId =
        submit("sql", "SELECT batch_size FROM points", "--results", dir.toString(), "--all-runs");
    assertTrue(
        noRunId
            .err()
            .contains(
                "note: the views hold 2 runs (--all-runs) and this result has no run_id column:"
                    + " select run_id to tell their rows apart"),
        noRunId.err());
    Outcome aggregate = submit("aggregate", "--results", dir.toString());
    assertEquals(
        "run newer: 1 points aggregated into",
        aggregate.out().strip().replaceFirst(" file:.*", ""));
    Outcome aggregateAll = submit("aggregate", "--results", dir.toString(), "--all-runs");
    assertEquals(
        List.of("older", "newer"),
        aggregateAll.out().lines().map(l -> l.split(" ")[1].replace(":", "")).toList(),
        aggregateAll.out());
    Outcome recommend = submit("recommend", "--budget", "10", "--results", dir.toString());
    assertEquals(0, recommend.code(), recommend.err());
    assertTrue(recommend.out().startsWith("run newer: latency budget"), recommend.out());
    Outcome recommendAll =
        submit("recommend", "--budget", "10", "--results", dir.toString(), "--all-runs");
    assertTrue(
        recommendAll.out().contains("run older: latency budget")
            && recommendAll.out().contains("run newer: latency budget"),
        recommendAll.out());
    Outcome both = submit("report", "--results", dir.toString(), "--all-runs", "--run-id", "older");
    assertEquals(2, both.code());
    assertTrue(
        both.err().startsWith("error: --all-runs and --run-id older exclude each other"),
        both.err());
  }

  @Test
  void badInputExitsTwoWithAClearMessage() {
    Outcome syntax = submit("sql", "SELECT * FORM points", "--results", root.toString());
    assertEquals(2, syntax.code());
    assertTrue(
        syntax.err().contains("PARSE_SYNTAX_ERROR")
            && syntax.err().contains("(line 1, pos 14)")
            && syntax.err().contains("^^^"),
        syntax.err());
    Outcome column =
        submit("sql", "SELECT no_such_column FROM points", "--results", root.toString());
    assertEquals(2, column.code());
    assertTrue(column.err().contains("no_such_column"), column.err());
    assertEquals(1, column.err().strip().lines().count(), "one line, no plan: " + column.err());
    Outcome view = submit("sql", "SELECT * FROM batch_sweeps", "--results", root.toString());
    assertEquals(2, view.code());
    assertEquals(
        "error: invalid query: [TABLE_OR_VIEW_NOT_FOUND] The table or view `batch_sweeps` cannot be found.;"
            + " views: "
            + String.join(", ", dev.llmsweep.analysis.Views.NAMES),
        view.err().strip());
    Outcome noRoot = submit("sql", "SELECT 1", "--results", root.resolve("missing").toString());
    assertEquals(2, noRoot.code());
    assertTrue(noRoot.err().contains("does not exist"), noRoot.err());
    Outcome noRun =
        submit("recommend", "--budget", "1", "--results", root.toString(), "--run-id", "nope");
    assertEquals(2, noRun.code());
    assertTrue(
        noRun.err().contains("no run 'nope'") && noRun.err().contains(SweepFixture.RUN),
        noRun.err());
    Outcome budget = submit("recommend", "--budget", "-1", "--results", root.toString());
    assertEquals(2, budget.code());
    assertTrue(budget.err().contains("positive"), budget.err());
    Outcome by = submit("recommend", "--budget", "1", "--by", "p90", "--results", root.toString());
    assertEquals(2, by.code());
    Outcome format = submit("sql", "SELECT 1", "--format", "xml", "--results", root.toString());
    assertEquals(2, format.code());
  }
}
