package dev.llmsweep.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.RawRows;
import dev.llmsweep.analysis.RawRows.Batch;
import dev.llmsweep.analysis.RawRows.Point;
import dev.llmsweep.analysis.RawRows.Request;
import dev.llmsweep.analysis.RunTables;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit;
import dev.llmsweep.cli.Submit.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit compare} end to end on runs written in the raw layout with known distributions: per
 * point 2,000 measured requests whose TTFT is log-normal (median 20 ms, sigma 0.3), E2E 10x and
 * TPOT 0.5x TTFT, plus warm-up and proxy rows that must not count. Run {@code base} and run {@code
 * same} are independent draws of one distribution; run {@code slow} has every sample above the
 * distribution's 95th percentile 20% slower at point bs=8 (so its p99 is 20% slower and its p50
 * unchanged). Each run also has a point the other runs lack.
 */
@SparkOnly
class CompareTest {
  @TempDir static Path dir;
  static Path root;

  static final double MEDIAN_MS = 20;
  static final double SIGMA = 0.3;
  static final double Q95 = MEDIAN_MS * Math.exp(SIGMA * 1.6448536269514722);
  static final int REQUESTS = 4000;

  @BeforeAll
  static void runs() throws Exception {
    root = dir.resolve("results");
    SparkSession spark = TestSpark.newWholeFileSession();
    write(spark, "base", 1, 1.0, "only-base", "2026-01-01T00:00:00Z", "completed");
    write(spark, "same", 2, 1.0, "only-same", "2026-01-02T00:00:00Z", "completed");
    write(spark, "slow", 3, 1.2, "only-slow", "2026-01-03T00:00:00Z", "completed");
  }

  /**
   * A run of three points: bs=1 and bs=8 (the latter's tail scaled by {@code tail}) and one of its
   * own.
   */
  static void write(
      SparkSession spark,
      String run,
      long seed,
      double tail,
      String own,
      String started,
      String status)
      throws Exception {
    Random random = new Random(seed);
    RawRows raw = new RawRows(spark, root, run);
    add(raw, new Point(run + "-b1", "batch", 1, 64, 6, 0.7, 0.9, 0), random, 1.0);
    add(raw, new Point(run + "-b8", "batch", 8, 64, 6, 0.7, 0.9, 0), random, tail);
    add(raw, new Point(run + "-x", own, 4, 64, 6, 0.7, 0.9, 0), random, 1.0);
    raw.commit();
    RunTables.writeRunRow(spark, root, run);
    Files.writeString(
        root.resolve(run).resolve("manifest.json"),
        "{\"run_id\":\""
            + run
            + "\",\"job_name\":\"nightly\","
            + "\"status\":\""
            + status
            + "\",\"started_at\":\""
            + started
            + "\",\"job_json\":{\"compare\":{\"threshold\":0.1}}}");
  }

  static void add(RawRows raw, Point p, Random random, double tail) {
    List<Request> requests = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    int perBatch = 20;
    // a warm-up and a proxy call whose huge latencies would change every figure if they counted
    for (int i = 0; i < perBatch; i++) {
      requests.add(
          new Request(
              0, true, false, i, "1", 6, 64, 5000, new double[] {1}, 5000.0, 50000, "length"));
      requests.add(
          new Request(1, false, true, i, "1", 6, 1, 9000, new double[0], null, 9000, "length"));
    }
    batches.add(new Batch(0, true, false, "1", 60000, 64L * perBatch));
    batches.add(new Batch(1, false, true, "1", 9000, perBatch));
    for (int b = 0; b < REQUESTS / perBatch; b++) {
      int rep = b + 1;
      double slowest = 0;
      for (int i = 0; i < perBatch; i++) {
        double x = MEDIAN_MS * Math.exp(SIGMA * random.nextGaussian());
        if (x > Q95) {
          x *= tail;
        }
        slowest = Math.max(slowest, 10 * x);
        requests.add(
            new Request(
                rep,
                false,
                false,
                i,
                b % 2 == 0 ? "1" : "2",
                6,
                64,
                x,
                new double[] {x / 2},
                x / 2,
                10 * x,
                "length"));
      }
      batches.add(new Batch(rep, false, false, b % 2 == 0 ? "1" : "2", slowest, 64L * perBatch));
    }
    raw.add(p, requests, batches, 2);
  }

  static Outcome submit(String... args) {
    return Submit.run(args);
  }

  /** A comparison the class makes once: what it printed and the rows it wrote right after. */
  record Compared(Outcome outcome, List<Row> rows) {}

  private static Compared slowVsBase;
  private static Compared sameVsBase;

  /**
   * {@code compare --run slow --baseline base} at the default seed, once for every test that reads
   * it (the comparisons table on disk may since hold another seed's intervals: same verdicts).
   */
  static synchronized Compared slowVsBase() {
    if (slowVsBase == null) {
      slowVsBase = compared("slow", "base");
    }
    return slowVsBase;
  }

  /** {@code compare --run same --baseline base}, once. */
  static synchronized Compared sameVsBase() {
    if (sameVsBase == null) {
      sameVsBase = compared("same", "base");
    }
    return sameVsBase;
  }

  private static Compared compared(String run, String baseline) {
    Outcome o =
        submit("compare", "--results", root.toString(), "--run", run, "--baseline", baseline);
    return new Compared(o, table(run, baseline));
  }

  static List<Row> table(String run, String baseline) {
    return table(root, run, baseline);
  }

  /** The rows {@code compare} wrote under {@code results} for run against baseline. */
  static List<Row> table(Path results, String run, String baseline) {
    return TestSpark.newWholeFileSession()
        .read()
        .parquet(results.resolve(run + "/comparisons/" + baseline).toString())
        .collectAsList();
  }

  static Row row(List<Row> rows, int batchSize, String metric) {
    return rows.stream()
        .filter(
            r -> r.<Integer>getAs("batch_size") == batchSize && metric.equals(r.getAs("metric")))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no row bs=" + batchSize + " " + metric + " in " + rows));
  }

  @Test
  void aTwentyPercentP99RegressionIsFlaggedAndExitsThree() {
    Outcome o = slowVsBase().outcome();
    assertEquals(3, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("REGRESSION"), o.out());
    List<Row> rows = slowVsBase().rows();
    Row p99 = row(rows, 8, "ttft_p99");
    assertEquals("slower", p99.getAs("verdict"), p99.toString());
    double ratio = p99.getAs("ratio");
    assertTrue(ratio > 1.12 && ratio < 1.28, "p99 ratio near 1.2: " + ratio);
    assertTrue(
        p99.<Double>getAs("ci_low") > 1
            && p99.<Double>getAs("ci_low") < ratio
            && p99.<Double>getAs("ci_high") > ratio,
        p99.toString());
    assertEquals(4000L, p99.<Long>getAs("run_samples"), "warm-ups and proxy calls excluded");
    assertEquals(200L, p99.<Long>getAs("run_calls"), "20 requests a call");
    assertEquals("slower", row(rows, 8, "e2e_p99").getAs("verdict"));
    assertEquals("no significant change", row(rows, 8, "ttft_p50").getAs("verdict"));
    for (Metric m : Metric.values()) {
      assertEquals(
          "no significant change",
          row(rows, 1, m.column()).getAs("verdict"),
          "untouched point bs=1 " + m);
    }
    // the printed table says the same
    assertTrue(
        o.out().lines().anyMatch(l -> l.contains("ttft_p99 (ms)") && l.contains("SLOWER")),
        o.out());
  }

  @Test
  void twoRunsOfOneDistributionShowNoChangeAndExitZero() {
    Outcome o = sameVsBase().outcome();
    assertEquals(0, o.code(), o.out() + o.err());
    List<Row> rows = sameVsBase().rows();
    assertTrue(
        rows.stream()
            .noneMatch(
                r -> "slower".equals(r.getAs("verdict")) || "faster".equals(r.getAs("verdict"))),
        rows.toString());
    Row thr = row(rows, 8, "throughput");
    assertTrue(thr.<Double>getAs("ci_low") < 1 && thr.<Double>getAs("ci_high") > 1, thr.toString());
    assertTrue(o.out().contains("no significant regression against baseline base"), o.out());
  }

  @Test
  void pointsInOnlyOneRunAreListedNotDropped() {
    Outcome o = sameVsBase().outcome();
    assertTrue(
        o.out().contains("points only in run same (not in the baseline):\n  only-same[bs=4"),
        o.out());
    assertTrue(
        o.out().contains("points only in baseline base (missing from the run):\n  only-base[bs=4"),
        o.out());
    List<Row> rows = sameVsBase().rows();
    assertEquals(
        4 * Metric.values().length, rows.size(), "2 matched + 2 one-sided points, 7 metrics each");
    Row onlyRun =
        rows.stream()
            .filter(r -> "only-same".equals(r.getAs("experiment")))
            .findFirst()
            .orElseThrow();
    assertEquals("only in run", onlyRun.getAs("verdict"));
    assertTrue(
        onlyRun.isNullAt(onlyRun.fieldIndex("baseline_value"))
            && !onlyRun.isNullAt(onlyRun.fieldIndex("run_value")));
    assertTrue(
        rows.stream()
            .anyMatch(
                r ->
                    "only-base".equals(r.getAs("experiment"))
                        && "only in baseline".equals(r.getAs("verdict"))));
  }

  /**
   * The comparison made again from the same runs, the default seed given as {@code --seed}: the
   * intervals the shared one got, read back from the table it writes.
   */
  @Test
  void theSameInputsGiveTheSameIntervals() {
    Row first = row(slowVsBase().rows(), 8, "ttft_p99");
    Outcome o =
        submit(
            "compare",
            "--results",
            root.toString(),
            "--run",
            "slow",
            "--baseline",
            "base",
            "--seed",
            String.valueOf(Comparer.DEFAULT_SEED));
    assertEquals(3, o.code(), o.out() + o.err());
    Row again = row(table("slow", "base"), 8, "ttft_p99");
    assertEquals(first.<Double>getAs("ci_low"), again.<Double>getAs("ci_low"));
    assertEquals(first.<Double>getAs("ci_high"), again.<Double>getAs("ci_high"));
  }

  @Test
  void previousIsTheLatestEarlierCompletedRunOfTheJob() {
    Outcome o =
        submit("compare", "--results", root.toString(), "--run", "slow", "--baseline", "previous");
    assertEquals(3, o.code(), o.out() + o.err());
    assertTrue(o.out().startsWith("compare run slow with baseline same:"), o.out());
    Outcome first =
        submit("compare", "--results", root.toString(), "--run", "base", "--baseline", "previous");
    assertEquals(2, first.code(), first.out());
    assertTrue(
        first.err().contains("no completed run of job 'nightly' started before run base"),
        first.err());
  }

  @Test
  void theComparisonsViewListsRegressions() {
    assertEquals(3, slowVsBase().outcome().code());
    Outcome o =
        submit(
            "sql",
            "--results",
            root.toString(),
            "--run",
            "slow",
            "--format",
            "csv",
            "SELECT baseline_run_id, batch_size, metric FROM comparisons WHERE verdict = 'slower' AND metric = 'ttft_p99'");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("base,8,ttft_p99"), o.out());
  }

  @Test
  void theReportShowsTheComparisonAndWarnsOfTheRegression() throws Exception {
    assertEquals(3, slowVsBase().outcome().code());
    Path html = dir.resolve("slow-report.html");
    Outcome o =
        submit("report", "--results", root.toString(), "--run", "slow", "--out", html.toString());
    assertEquals(0, o.code(), o.out() + o.err());
    String page = Files.readString(html);
    assertTrue(
        page.contains("regression: ") && page.contains("significantly slower than the baseline"),
        "warning");
    int table = page.indexOf("comparison</h");
    assertTrue(table > 0, "a comparison section");
    String section = page.substring(table);
    assertTrue(
        section.contains("ttft_p99") && section.contains("slower") && section.contains("base"),
        section);
  }

  @Test
  void badInputExitsTwoNamingWhatIsWrong() {
    Outcome unknown =
        submit("compare", "--results", root.toString(), "--run", "nope", "--baseline", "base");
    assertEquals(2, unknown.code());
    assertTrue(
        unknown.err().contains("no run 'nope'") && unknown.err().contains("base, "), unknown.err());
    Outcome baseline =
        submit("compare", "--results", root.toString(), "--run", "slow", "--baseline", "gone");
    assertEquals(2, baseline.code());
    assertTrue(
        baseline.err().contains("no run 'gone'") && baseline.err().contains("slow"),
        baseline.err());
    Outcome threshold =
        submit(
            "compare",
            "--results",
            root.toString(),
            "--run",
            "slow",
            "--baseline",
            "base",
            "--threshold",
            "1.5");
    assertEquals(2, threshold.code());
    assertTrue(threshold.err().contains("--threshold 1.5 is not accepted"), threshold.err());
    Outcome self =
        submit("compare", "--results", root.toString(), "--run", "slow", "--baseline", "slow");
    assertEquals(2, self.code());
    assertFalse(
        Files.exists(root.resolve("slow/comparisons/slow")), "nothing written on bad input");
    Outcome noRoot =
        submit(
            "compare",
            "--results",
            dir.resolve("missing").toString(),
            "--run",
            "a",
            "--baseline",
            "b");
    assertEquals(2, noRoot.code());
    assertTrue(noRoot.err().contains("does not exist"), noRoot.err());
  }
}
