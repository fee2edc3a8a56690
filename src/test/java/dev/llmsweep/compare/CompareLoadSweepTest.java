package dev.llmsweep.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.RawRows;
import dev.llmsweep.analysis.RawRows.Batch;
import dev.llmsweep.analysis.RawRows.Point;
import dev.llmsweep.analysis.RawRows.Request;
import dev.llmsweep.analysis.RawRows.Serving;
import dev.llmsweep.analysis.RunTables;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.store.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit compare} on an open-loop load sweep against an endpoint, written in the raw layout:
 * one experiment whose points differ only in {@code request_rate} (2 and 8 requests/s), each 40
 * measured repetitions of 20 requests (batch_size 20) after a warm-up, TTFT log-normal (sigma 0.3)
 * with a median that grows with the load (queueing), E2E = TTFT + 63 x TPOT. In run {@code slow}
 * the server queues longer at 8/s only: every TTFT there is 1.5x. The runs' endpoints (per-executor
 * ports) and TTFT SLOs differ, as between two real runs; neither is matched on. Also a closed-loop
 * baseline whose files predate the serving columns, and a comparisons file without the columns
 * added since.
 */
@SparkOnly
class CompareLoadSweepTest {
  @TempDir static Path dir;
  static Path root;

  static final int REPETITIONS = 40;
  static final int REQUESTS = 20;
  static final double SLOWDOWN = 1.5;

  @BeforeAll
  static void runs() throws Exception {
    root = dir.resolve("results");
    SparkSession spark = TestSpark.newWholeFileSession();
    loadRun(
        spark,
        "base",
        1,
        new Serving("openai", "http://127.0.0.1:41001/v1", 0, 500, 50),
        1.0,
        "2026-02-01T00:00:00Z");
    loadRun(
        spark,
        "slow",
        2,
        new Serving("openai", "http://127.0.0.1:41017/v1", 0, 250, 50),
        SLOWDOWN,
        "2026-02-02T00:00:00Z");
  }

  /** A load sweep over 2/s and 8/s; {@code busy} scales every TTFT at 8/s. */
  static void loadRun(
      SparkSession spark, String run, long seed, Serving serving, double busy, String started)
      throws Exception {
    Random random = new Random(seed);
    RawRows raw = new RawRows(spark, root, run);
    for (double rate : new double[] {2, 8}) {
      Serving s =
          new Serving(
              serving.engine(), serving.endpoint(), rate, serving.sloTtftMs(), serving.sloTpotMs());
      Point p = new Point(run + "-r" + (int) rate, "load", REQUESTS, 64, 512, 0.0, 1.0, 0);
      double median = rate == 8 ? 40 * busy : 20;
      addPoint(raw, p, s, random, median, rate);
    }
    raw.commit();
    manifest(spark, run, started);
  }

  static void addPoint(
      RawRows raw, Point p, Serving s, Random random, double ttftMedianMs, double rate) {
    List<Request> requests = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    // a warm-up repetition whose huge latencies would move every figure if it counted
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(
          new Request(
              0, true, false, i, "1", 512, 64, 9000, new double[] {20}, 20.0, 10260, "length"));
    }
    batches.add(new Batch(0, true, false, "1", 20000, 64L * REQUESTS));
    for (int rep = 1; rep <= REPETITIONS; rep++) {
      double last = 0;
      for (int i = 0; i < REQUESTS; i++) {
        double ttft = ttftMedianMs * Math.exp(0.3 * random.nextGaussian());
        double tpot = 10 * Math.exp(0.1 * random.nextGaussian());
        double e2e = ttft + 63 * tpot;
        last = Math.max(last, 1000 * i / rate + e2e);
        requests.add(
            new Request(
                rep,
                false,
                false,
                i,
                "1",
                512,
                64,
                ttft,
                new double[] {tpot},
                tpot,
                e2e,
                "length"));
      }
      // an open-loop repetition's wall time: arrivals spread at the rate, until the last request
      // ends
      batches.add(new Batch(rep, false, false, "1", last, 64L * REQUESTS));
    }
    if (s == null) {
      raw.add(p, requests, batches, 1); // a run written before the serving columns existed
    } else {
      raw.add(p, s, requests, batches, 1);
    }
  }

  static void manifest(SparkSession spark, String run, String started) throws Exception {
    RunTables.writeRunRow(spark, root, run);
    Files.writeString(
        root.resolve(run).resolve("manifest.json"),
        "{\"run_id\":\""
            + run
            + "\",\"job_name\":\"load\","
            + "\"status\":\"completed\",\"started_at\":\""
            + started
            + "\",\"job_json\":{}}");
  }

  static List<Row> table(String run, String baseline) {
    return CompareTest.table(root, run, baseline);
  }

  static Row row(List<Row> rows, double rate, String metric) {
    return rows.stream()
        .filter(r -> r.<Double>getAs("request_rate") == rate && metric.equals(r.getAs("metric")))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no row rate=" + rate + " " + metric + " in " + rows));
  }

  private static Outcome slowVsBase;

  /** {@code compare --run slow --baseline base}, once for the tests that read it. */
  static synchronized Outcome slowVsBase() {
    if (slowVsBase == null) {
      slowVsBase =
          Submit.run(
              "compare", "--results", root.toString(), "--run", "slow", "--baseline", "base");
    }
    return slowVsBase;
  }

  @Test
  void eachRequestRateIsComparedOnItsOwnAndTheSlowdownIsAttributedToItsRate() {
    Outcome o = slowVsBase();
    assertEquals(3, o.code(), o.out() + o.err());
    List<Row> rows = table("slow", "base");
    assertEquals(
        2 * Metric.values().length,
        rows.size(),
        "two matched points, one per rate, 7 metrics each");
    for (Row r : rows) {
      assertEquals(
          1, r.getList(r.fieldIndex("run_point_ids")).size(), "one point a side, not pooled: " + r);
      assertEquals(1, r.getList(r.fieldIndex("baseline_point_ids")).size(), r.toString());
      assertEquals("openai", r.getAs("run_engine"));
      assertEquals("openai", r.getAs("baseline_engine"));
    }

    Row busy = row(rows, 8, "ttft_p50");
    assertEquals(List.of("slow-r8"), busy.getList(busy.fieldIndex("run_point_ids")));
    assertEquals(List.of("base-r8"), busy.getList(busy.fieldIndex("baseline_point_ids")));
    assertEquals("slower", busy.getAs("verdict"), busy.toString());
    double ratio = busy.getAs("ratio");
    assertTrue(ratio > 1.4 && ratio < 1.6, "TTFT p50 ratio near 1.5 at 8/s: " + ratio);
    assertEquals(
        800L,
        busy.<Long>getAs("run_samples"),
        "40 measured repetitions of 20; the warm-up excluded");
    assertEquals(
        "no significant change",
        row(rows, 8, "tpot_p50").getAs("verdict"),
        "decode speed unchanged");
    for (String metric : List.of("ttft_p50", "e2e_p50", "tpot_p50", "throughput")) {
      Row calm = row(rows, 2, metric);
      assertEquals(
          "no significant change", calm.getAs("verdict"), "the unchanged rate 2/s: " + calm);
    }
    assertEquals(
        "too few calls", row(rows, 2, "ttft_p99").getAs("verdict"), "a p99 over 40 repetitions");

    // the printed table names the rate of each point
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l -> l.contains("rate=8/s") && l.contains("ttft_p50") && l.contains("SLOWER")),
        o.out());
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l -> l.contains("rate=2/s") && l.contains("ttft_p50") && !l.contains("SLOWER")),
        o.out());
  }

  @Test
  void aBaselineWhosePointsTablePredatesTheServingColumnsStillMatches() throws Exception {
    // run ids are start times, so the old run's files are listed first (a Parquet schema taken
    // from one file would be the old one's)
    String old = "20250601-000000";
    String now = "20260301-000000";
    SparkSession spark = TestSpark.newWholeFileSession();
    RawRows before = new RawRows(spark, root, old);
    addPoint(
        before,
        new Point(old + "-b4", "batch", 4, 64, 512, 0.0, 1.0, 0),
        null,
        new Random(3),
        20,
        50);
    before.commit();
    manifest(spark, old, "2025-06-01T00:00:00Z");
    RawRows after = new RawRows(spark, root, now);
    addPoint(
        after,
        new Point(now + "-b4", "batch", 4, 64, 512, 0.0, 1.0, 0),
        Serving.BUILTIN,
        new Random(4),
        20,
        50);
    addPoint(
        after,
        new Point(now + "-r8", "load", REQUESTS, 64, 512, 0.0, 1.0, 0),
        new Serving("openai", "http://127.0.0.1:41001/v1", 8, 0, 0),
        new Random(5),
        40,
        8);
    after.commit();
    manifest(spark, now, "2026-03-01T00:00:00Z");
    // the old run's points table as it was written then: without the serving columns
    Aggregator.aggregate(spark, TestRuns.open(spark, root.toString(), old));
    String points = root.resolve(old + "/points").toString();
    Dataset<Row> written =
        spark
            .read()
            .parquet(points)
            .drop("engine", "endpoint", "request_rate", "slo_ttft_ms", "slo_tpot_ms");
    List<Row> kept = written.collectAsList();
    spark
        .createDataFrame(kept, written.schema())
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(points);
    assertTrue(
        Set.of(spark.read().parquet(points).columns()).stream().noneMatch("request_rate"::equals));

    Outcome o =
        Submit.run("compare", "--results", root.toString(), "--run", now, "--baseline", old);
    assertEquals(0, o.code(), o.out() + o.err());
    List<Row> rows = table(now, old);
    assertEquals(
        2 * Metric.values().length,
        rows.size(),
        "the closed-loop point matched, the load point only in run");
    for (Row r : rows) {
      boolean load = "load".equals(r.getAs("experiment"));
      assertEquals(load ? 8.0 : 0.0, r.<Double>getAs("request_rate"), r.toString());
      assertEquals(load ? "openai" : "builtin", r.getAs("run_engine"));
      assertEquals(load ? null : "builtin", r.getAs("baseline_engine"), "what an old run ran");
      assertEquals(load, "only in run".equals(r.getAs("verdict")), r.toString());
      assertTrue(!"only in baseline".equals(r.getAs("verdict")), r.toString());
    }
  }

  @Test
  void theComparisonsViewReadsFilesWrittenBeforeRequestRateWasMatchedOn() throws Exception {
    assertEquals(3, slowVsBase().code());
    // a comparison of the same runs as the previous version wrote it: without request_rate, the
    // engines and the unstable flags (here its 8/s rows stand in for its pooled ones)
    SparkSession spark = TestSpark.newWholeFileSession();
    Dataset<Row> current = spark.read().parquet(root.resolve("slow/comparisons/base").toString());
    Dataset<Row> older =
        current
            .where("request_rate = 8")
            .drop(
                "request_rate",
                "run_engine",
                "baseline_engine",
                "run_unstable",
                "baseline_unstable")
            .withColumn("baseline_run_id", org.apache.spark.sql.functions.lit("older"));
    older.coalesce(1).write().parquet(root.resolve("slow/comparisons/older").toString());

    Outcome o =
        Submit.run(
            "sql",
            "--results",
            root.toString(),
            "--run",
            "slow",
            "--format",
            "csv",
            "SELECT baseline_run_id, request_rate, run_engine, run_unstable, verdict FROM comparisons"
                + " WHERE metric = 'ttft_p50' ORDER BY baseline_run_id, request_rate");
    assertEquals(0, o.code(), o.out() + o.err());
    List<String> lines = o.out().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(
        List.of(
            "baseline_run_id,request_rate,run_engine,run_unstable,verdict",
            "base,2.0,openai,false,no significant change",
            "base,8.0,openai,false,slower",
            "older,,,,slower"),
        lines,
        o.out());
  }
}
