package dev.llmsweep.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit compare --baseline last:N} end to end on seeded runs of one job under a root, with
 * the probe columns in their points tables: five history runs h1..h5 (one distribution, each run
 * scaled by its own factor within about 5%, read bandwidth 30 GB/s; h2's points env_changed), then
 * the runs started together after them: {@code same} (the history's distribution), {@code slow}
 * (every latency 1.5x, same machine), {@code machine} (every latency 2x on a machine whose probes
 * read half the bandwidth and FMA rate) and {@code shared} (every latency 2.8x, the probes
 * unchanged, other processes using half the CPU where the history's had 2%: a co-runner on the same
 * cores).
 */
@SparkOnly
class HistoryCompareTest {
  @TempDir static Path dir;
  static Path root;

  @BeforeAll
  static void runs() throws Exception {
    root = dir.resolve("results");
    // the rows drawn in order from one seed, then the runs written two at a time, each on its own
    // session (Spark's per-job latency, not CPU, is most of a small run's writing)
    Random random = new Random(11);
    List<Callable<Void>> writes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      writes.add(
          write(
              "h" + i,
              random,
              Math.exp(0.03 * random.nextGaussian()),
              30,
              i == 2, // h2's points env_changed: left out of the baseline, not the comparison
              "2026-01-0" + i + "T02:00:00Z",
              0.02));
    }
    writes.add(write("same", random, 1.0, 30, false, "2026-01-06T02:00:00Z", 0.02));
    writes.add(write("slow", random, 1.5, 30, false, "2026-01-06T02:00:00Z", 0.02));
    writes.add(write("machine", random, 2.0, 15, false, "2026-01-06T02:00:00Z", 0.02));
    writes.add(write("shared", random, 2.8, 30, false, "2026-01-06T02:00:00Z", 0.5));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (Future<Void> f : pool.invokeAll(writes)) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * A run of two points: bs=1 (120 calls) and bs=4 (30 calls); latencies log-normal, scaled by
   * {@code factor}. Draws its rows now; the returned task writes them.
   */
  static Callable<Void> write(
      String run,
      Random random,
      double factor,
      double readGbps,
      boolean envChanged,
      String started,
      double cpuOthers) {
    List<Consumer<RawRows>> points =
        List.of(
            add(new Point(run + "-b1", "batch", 1, 16, 6, 0.7, 0.9, 0), random, factor, 120),
            add(new Point(run + "-b4", "batch", 4, 16, 6, 0.7, 0.9, 0), random, factor, 30));
    return () -> {
      SparkSession spark = TestSpark.newWholeFileSession();
      RawRows raw = new RawRows(spark, root, run);
      points.forEach(p -> p.accept(raw));
      raw.commit();
      RunTables.writeRunRow(spark, root, run, "nightly", "completed", started);
      RunTables.writeProbes(spark, root, run, readGbps, 10 * readGbps, envChanged, cpuOthers);
      Files.writeString(
          root.resolve(run).resolve("manifest.json"),
          "{\"run_id\":\""
              + run
              + "\",\"job_name\":\"nightly\","
              + "\"status\":\"completed\",\"started_at\":\""
              + started
              + "\",\"job_json\":{\"compare\":{\"threshold\":0.1}}}");
      return null;
    };
  }

  /** A point's rows, drawn now; the consumer adds them to its run. */
  static Consumer<RawRows> add(Point p, Random random, double factor, int calls) {
    List<Request> requests = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    for (int c = 1; c <= calls; c++) {
      double prefill = factor * 20 * Math.exp(0.15 * random.nextGaussian());
      double step = factor * 2 * Math.exp(0.10 * random.nextGaussian());
      double slowest = 0;
      for (int i = 0; i < p.batchSize(); i++) {
        double ttft = prefill + factor * 0.3 * Math.abs(random.nextGaussian());
        double e2e = ttft + 15 * step;
        slowest = Math.max(slowest, e2e);
        requests.add(
            new Request(
                c, false, false, i, "1", 6, 16, ttft, new double[] {step}, step, e2e, "length"));
      }
      batches.add(new Batch(c, false, false, "1", slowest, 16L * p.batchSize()));
    }
    return raw -> raw.add(p, requests, batches, 1);
  }

  static Outcome compare(String run, String baseline) {
    return Submit.run(
        "compare",
        "--results",
        root.toString(),
        "--run",
        run,
        "--baseline",
        baseline,
        "--resamples",
        "400");
  }

  private static Outcome slowAgainstItsHistory;

  /** {@code compare --run slow --baseline last:5}, once for the tests that need it. */
  static synchronized Outcome slowAgainstItsHistory() {
    if (slowAgainstItsHistory == null) {
      slowAgainstItsHistory = compare("slow", "last:5");
    }
    return slowAgainstItsHistory;
  }

  @Test
  void aRunLikeItsHistoryExitsZero() {
    Outcome o = compare("same", "last:5");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("baseline last:5: runs h5, h4, h3, h2, h1"), o.out());
    assertTrue(o.out().contains("run-to-run spread from 5 baseline runs"), o.out());
    assertTrue(
        o.out().contains("against baseline run h1: read bandwidth 30.0 -> 30.0 GB/s (1.00x)"),
        o.out());
    assertTrue(o.out().contains("no significant regression against baseline last-5"), o.out());
    List<Row> rows = CompareTest.table(root, "same", "last-5");
    assertTrue(
        rows.stream().noneMatch(x -> "env changed".equals(x.getAs("verdict"))),
        "a point flagged in one baseline run of five is judged on the other four: " + rows);
    Row r = rows.get(0);
    assertEquals(
        List.of("h5", "h4", "h3", "h2", "h1"), r.getList(r.fieldIndex("baseline_run_ids")));
  }

  @Test
  void aSlowerRunOnAnUnchangedMachineIsARegression() {
    Outcome o = slowAgainstItsHistory();
    assertEquals(3, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("REGRESSION: "), o.out());
    Row p50 = CompareTest.row(CompareTest.table(root, "slow", "last-5"), 1, "e2e_p50");
    assertEquals("slower", p50.getAs("verdict"), p50.toString());
    assertTrue(
        p50.<Double>getAs("ratio") > 1.4 && p50.<Double>getAs("ratio") < 1.6, p50.toString());
  }

  @Test
  void aRunOnAMachineAtHalfTheBandwidthIsInconclusiveAndExitsFour() {
    Outcome o = compare("machine", "last:5");
    assertEquals(4, o.code(), o.out() + o.err());
    assertTrue(
        o.out().contains("inconclusive: the machine changed (read bandwidth 0.50x)"), o.out());
    assertTrue(
        o.out()
            .lines()
            .anyMatch(l -> l.contains("e2e_p50 (ms)") && l.contains("environment (machine 2.00x)")),
        o.out());
    Row p50 = CompareTest.row(CompareTest.table(root, "machine", "last-5"), 1, "e2e_p50");
    assertEquals("environment", p50.getAs("verdict"), p50.toString());
    assertEquals(2.0, p50.<Double>getAs("env_factor"), 1e-9);
  }

  @Test
  void aRunThatSharedItsCpuIsInconclusiveHoweverMuchSlower() {
    Outcome o = compare("shared", "last:5");
    assertEquals(4, o.code(), o.out() + o.err());
    assertTrue(
        o.out()
            .contains(
                "inconclusive: the machine changed (CPU free 98% -> 50% (0.51x): other processes"
                    + " took the run's CPU)"),
        o.out());
    Row p50 = CompareTest.row(CompareTest.table(root, "shared", "last-5"), 1, "e2e_p50");
    assertEquals("environment", p50.getAs("verdict"), p50.toString());
    assertTrue(p50.<Double>getAs("ratio") > 2.5, p50.toString());
  }

  @Test
  void historyShowsEachPointsTrendWithItsChangePointsAndOnePlotPerExperiment() throws Exception {
    assertEquals(3, slowAgainstItsHistory().code());
    Path plots = dir.resolve("plots");
    Outcome o =
        Submit.run(
            "history", "--results", root.toString(), "--last", "9", "--out", plots.toString());
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(
        o.out()
            .contains(
                "job nightly: e2e_p50_ms over its last 9 run(s), oldest first: h1, h2, h3, h4, h5,"),
        o.out());
    // the bs=1 point: a figure per run (the slow run's marked *)
    assertTrue(
        o.out().lines().anyMatch(l -> l.startsWith("  batch[bs=1 ") && l.contains("*")), o.out());
    assertTrue(
        o.out().contains("read bandwidth (median over points, GB/s): 30.0 30.0 30.0 30.0 30.0"),
        o.out());
    assertTrue(
        Files.size(plots.resolve("history-batch.png")) > 1000, "one plot for experiment batch");
    Outcome all =
        Submit.run(
            "sql",
            "--results",
            root.toString(),
            "--all-runs",
            "--format",
            "csv",
            "SELECT run_id, verdict FROM history WHERE run_id = 'slow' AND batch_size = 1");
    assertEquals(0, all.code(), all.err());
    assertTrue(all.out().contains("slow,slower"), all.out());
  }

  @Test
  void withFewerThanThreeEarlierRunsTheSpreadIsSaidToBeUnknown() {
    Outcome o = compare("h3", "last:5");
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("baseline last:5: runs h2, h1"), o.out());
    assertTrue(o.out().contains("run-to-run spread unknown: 2 baseline run(s), 3 needed"), o.out());
    assertTrue(o.out().contains("assumed 0"), o.out());
  }

  @Test
  void previousStillComparesWithOneRunAndABadHistoryIsRefused() {
    Outcome previous = compare("h5", "previous");
    assertEquals(0, previous.code(), previous.out() + previous.err());
    assertTrue(previous.out().startsWith("compare run h5 with baseline h4:"), previous.out());
    Outcome bad = compare("same", "last:0");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("last:N needs N from 1 to 100"), bad.err());
    Outcome none = compare("h1", "last:3");
    assertEquals(2, none.code());
    assertTrue(
        none.err().contains("no completed run of job 'nightly' started before run h1"), none.err());
  }
}
