package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.cli.Submit.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command lines that read the shared runs (the quickstart, its resume, bench-harness,
 * then sql, recommend, aggregate, report and compare over their results), each at the smallest size
 * that still takes its real code path: it exits 0 and prints what the README says it prints. The
 * README's other commands are in {@link ReadmeIndependentCommandsTest}; a README command that no
 * test runs fails {@link ReadmeCoverageTest}, so a new or changed command comes with its smoke
 * test.
 *
 * <p>The work is shared where it is the same: one quickstart run (then the same command again,
 * which resumes it) and one bench-harness run of the same job fill one results root, which sql,
 * recommend, aggregate, report and compare read; the three runs come first, so the commands after
 * them share one Spark context. The quickstart runs at its smallest size: {@link ReadmeRuns#job},
 * the quickstart's job file with shorter outputs, fewer repetitions and one warm-up call per point
 * (the same 17 points and batch sizes). The sql shell (its log routing differs from the in-process
 * one) runs through {@code ./submit} itself, in a child process; the rest in this JVM.
 */
class ReadmeCommandsTest {
  @TempDir static Path dir;

  private static ReadmeRuns runs;

  /**
   * The three runs of the shared root, first: each starts and stops its own local[1] session, so
   * the analysis commands after them share one context instead of starting one after each.
   */
  @BeforeAll
  static void runs() throws Exception {
    runs = new ReadmeRuns(dir);
    if (runs.quickstart().code() == 0) {
      runs.resumed();
    }
    runs.harness();
  }

  // ---- the sweep job ----

  @Test
  void quickstartCommitsEveryPointAndEndsAsTheReadmeShows() throws Exception {
    Outcome o = runs.quickstart();
    assertEquals(0, o.code(), o.err() + o.out());
    String run = runs.quickstartRun();
    assertTrue(
        o.out().contains("[llm-sweep] run " + run + ": 17 points (0 already committed)"), o.out());
    assertTrue(o.out().contains("17/17 points"), "a progress line per point: " + o.out());
    List<String> out = o.out().lines().toList();
    int from = 0;
    for (String example : Readme.blockAfter("ends with where its results are")) {
      Pattern p = Readme.example(example);
      int at = from;
      while (at < out.size() && !p.matcher(out.get(at)).matches()) {
        at++;
      }
      assertTrue(
          at < out.size(),
          "README example line\n  " + example + "\nnot printed (in order) in:\n" + o.out());
      from = at + 1;
    }
    JsonNode m = new ObjectMapper().readTree(runs.root().resolve(run + "/manifest.json").toFile());
    assertEquals("completed", m.get("status").asText());
    assertEquals(17, m.get("points_committed").asInt());
    assertEquals("local[1]", m.get("spark_master").asText());
    try (Stream<Path> points = Files.list(runs.root().resolve(run + "/raw"))) {
      assertEquals(17, points.count());
    }
    // --run-id ID: the same command again resumes the completed run and runs nothing
    Outcome again = runs.resumed();
    assertEquals(0, again.code(), again.err());
    assertTrue(
        again.out().contains("[llm-sweep] run " + run + ": 0 points (17 already committed)"),
        again.out());
    assertTrue(again.out().contains("17 points committed (0 ran now, 17 resumed)"), again.out());
  }

  // ---- answers: SQL views and recommendations ----

  @Test
  void sqlListsEveryView() throws Exception {
    // the shell through the launcher, as typed in a terminal but piped: \d, \d VIEW, then two
    // statements
    Outcome o =
        ReadmeLauncher.launchWithInput(
            dir,
            "\\d\n\\d batch_sweep\nSELECT count(*) AS n\n  FROM points;\n"
                + "SELECT DISTINCT run_id FROM points;\n",
            "sql",
            "--results",
            runs.results().toString());
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    for (String view : Views.NAMES) {
      // every view, the empty failures and comparisons too (the run was never compared: no
      // comparisons/)
      assertTrue(
          lines.stream().anyMatch(l -> l.matches(view + " \\(\\d+ columns\\)")),
          view + " not listed in:\n" + o.out() + o.err());
    }
    assertFalse(
        Files.exists(runs.root().resolve(runs.quickstartRun() + "/comparisons")),
        "no empty comparisons/ per run");
    assertTrue(lines.contains("  latency_p99_s double"), o.out());
    assertTrue(lines.contains("17"), "the points of the latest run only: " + o.out());
    assertEquals(
        1,
        lines.stream().filter(l -> l.matches("\\d{8}-\\d{6}-\\w+")).count(),
        "one run: " + o.out());
    // ordinary output: the answers, their row counts and times, and where Spark's log lines went
    for (String l : o.err().lines().toList()) {
      assertTrue(
          l.matches("\\(1 row, [\\d.]+ s\\)")
              || l.startsWith("[llm-sweep] Spark's and the libraries' log" + " lines: ")
              || l.startsWith("aggregated run "),
          "not llm-sweep's line on stderr: " + l + "\n" + o.err());
    }
  }

  @Test
  void sqlRunsTheReadmeQuery() {
    Outcome o =
        Submit.run(
            "sql",
            "SELECT batch_size, ttft_p50_ms, ttft_p99_ms, latency_p50_s, latency_p99_s,"
                + " throughput_tokens_per_s FROM batch_sweep ORDER BY batch_size",
            "--results",
            runs.results().toString());
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    assertEquals(
        "batch_size | ttft_p50_ms | ttft_p99_ms | latency_p50_s | latency_p99_s | throughput_tokens_per_s",
        lines.get(0).replaceAll(" +\\|", " |"));
    List<Integer> batches =
        lines.stream()
            .skip(2)
            .map(l -> l.split("\\|")[0].strip())
            .filter(s -> s.matches("\\d+"))
            .map(Integer::parseInt)
            .toList();
    assertEquals(
        List.of(1, 4, 16, 64),
        batches.stream().distinct().toList(),
        "the quickstart's batch sizes: " + o.out());
    assertTrue(o.err().contains("rows)"), "the row count on stderr: " + o.err());
  }

  @Test
  void recommendAnswersABudget() {
    String run = runs.quickstartRun();
    Outcome o =
        Submit.run(
            "recommend",
            "--budget",
            "2.5",
            "--by",
            "both",
            "--run-id",
            run,
            "--results",
            runs.root().toString());
    assertEquals(0, o.code(), o.err());
    String answer =
        "(batch_size=\\d+ \\(experiment \\w+, .*\\): p(50|99) latency [\\d.]+ s, throughput [\\d.]+"
            + " tokens/s.*|nothing fits a 2\\.500 s budget.*"
            // on a machine that swings while a point runs, its probes may leave every point out
            + "|nothing to recommend: every measured point was left out.*)";
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.equals(
                        "run "
                            + run
                            + ": latency budget 2.500 s on the batch latency"
                            + " (wall time of one generate call)")),
        o.out());
    assertTrue(o.out().lines().anyMatch(l -> l.strip().matches("by p50: " + answer)), o.out());
    assertTrue(o.out().lines().anyMatch(l -> l.strip().matches("by p99: " + answer)), o.out());
    // unstable points (their measured calls drifted: common on a shared machine) leave the curve
    boolean spot =
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.strip()
                        .matches(
                            "sweet spot \\(Kneedle .*\\) \\[recommended\\]:"
                                + " batch_size=\\d+ .*on a curve of \\d+ points.*"));
    assertTrue(
        spot
            || o.out()
                .contains("no sweet spot: no experiment sweeps at least 3 batch sizes of stable"),
        o.out());
    assertTrue(
        !spot
            || o.out()
                .lines()
                .anyMatch(
                    l -> l.strip().matches("sweet spot \\(notebook rule.*\\): batch_size=\\d+ .*")),
        o.out());
    // under each answer, what its 95% intervals leave open: a range or the batch size alone; a tie
    // or a clear winner
    assertTrue(
        !spot
            || o.out()
                .lines()
                .anyMatch(
                    l ->
                        l.matches(
                            "    batch (\\d+ alone: .*|[\\d–, and]+: the curve is flat"
                                + " within its 95% intervals .*|[\\d, and]+: their scores overlap .*)")),
        o.out());
    // the ranges line comes with an answer; a run whose probes left every point out has none
    boolean answered =
        o.out()
            .lines()
            .anyMatch(l -> l.strip().matches("by p(50|99): (batch_size=|nothing fits).*"));
    assertTrue(
        !answered
            || o.out()
                .lines()
                .anyMatch(
                    l ->
                        l.matches(
                            "    (a clear winner: .*|cannot be told apart within the 95%"
                                + " intervals .*|nothing fits within the 95% intervals either|within their 95% intervals these may fit.*)")),
        o.out());
  }

  @Test
  void aggregateRewritesThePoints() {
    String run = runs.quickstartRun();
    Outcome o = Submit.run("aggregate", "--run-id", run, "--results", runs.root().toString());
    assertEquals(0, o.code(), o.err());
    assertEquals(
        "run "
            + run
            + ": 17 points aggregated into "
            + runs.root()
                .resolve(run + "/points")
                .toUri()
                .toString()
                .replaceFirst("^file:///", "file:/")
                .replaceFirst("/$", ""),
        o.out().strip());
  }

  // ---- the report, comparisons ----

  @Test
  void reportWritesTheHtmlWhereAsked() throws Exception {
    String run = runs.quickstartRun();
    Path html = dir.resolve("report/r.html");
    Outcome o =
        Submit.run(
            "report",
            "--results",
            runs.root().toString(),
            "--run-id",
            run,
            "--out",
            html.toString(),
            "--budget",
            "2.5");
    assertEquals(0, o.code(), o.err());
    assertTrue(
        o.out().strip().matches("report of run " + run + ": .*" + Pattern.quote(html.toString())),
        o.out());
    String page = Files.readString(html);
    assertTrue(
        page.startsWith("<!DOCTYPE html>")
            && page.contains("<h1>llm-sweep report: run " + run + "</h1>"));
    assertTrue(page.contains("<img src=\"data:image/png;base64,"), "plots embedded");
  }

  @Test
  void compareJudgesARunAgainstThePreviousOne() {
    String baseline = runs.quickstartRun();
    String run = runs.harnessRun();
    Outcome o =
        Submit.run(
            "compare",
            "--run",
            run,
            "--baseline",
            "previous",
            "--results",
            runs.root().toString(),
            "--threshold",
            "0.10");
    // two real runs on a shared machine: a figure may well be significantly slower (exit 3, as
    // documented) or changed as much as the machine did (exit 4), but the command must say so, and
    // must compare every point of the job
    assertTrue(
        o.code() == 0 || o.code() == 3 || o.code() == 4,
        "exit " + o.code() + ": " + o.err() + o.out());
    List<String> lines = o.out().lines().toList();
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "compare run " + run + " with baseline " + baseline + ": ratio = run / baseline"),
        o.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("environment of run " + run + ": ")), o.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "point +\\| metric +\\| baseline +\\| run +\\| ratio +\\| 95% CI +\\| p \\(Holm\\) +\\| verdict")),
        o.out());
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "\\d+ slower, \\d+ faster, \\d+ no significant change, \\d+"
                            + " environment, \\d+ with too few calls \\(p99 of < 100\\), \\d+ unstable, \\d+ env changed, \\d+ not"
                            + " comparable \\(figures of 17 matched points\\); comparisons table: .*")),
        o.out());
    String last = lines.get(lines.size() - 1);
    assertEquals(o.code() == 3, last.startsWith("REGRESSION: "), o.out());
    assertEquals(o.code() == 4, last.startsWith("inconclusive: the machine changed"), o.out());
    assertTrue(
        o.code() != 0 || last.equals("no significant regression against baseline " + baseline),
        o.out());
  }

  // ---- benchmarks ----

  @Test
  void benchHarnessReportsTheEngineShare() throws Exception {
    Outcome o = runs.harness();
    assertEquals(0, o.code(), o.err() + o.out());
    assertTrue(
        o.out()
            .contains(
                "== harness benchmark, round 1 of 1 (cold: first run in this JVM): "
                    + runs.job
                    + " on local[1], 17 points =="),
        o.out());
    Matcher share =
        Pattern.compile("inside the engine \\(generate\\)\\s+([0-9.]+) s\\s+([0-9.]+) % of wall")
            .matcher(o.out());
    assertTrue(share.find(), o.out());
    double percent = Double.parseDouble(share.group(2));
    assertTrue(percent > 0 && percent <= 100, "a share of the wall time: " + percent);
    assertTrue(
        Pattern.compile("overhead per point\\s+-?[0-9.]+ ms").matcher(o.out()).find(), o.out());
    try (Stream<Path> points = Files.list(runs.root().resolve(runs.harnessRun() + "/raw"))) {
      assertEquals(17, points.count(), "the benchmark run is a real run");
    }
  }
}
