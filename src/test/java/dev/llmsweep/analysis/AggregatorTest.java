package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.RawRows.Batch;
import dev.llmsweep.analysis.RawRows.Point;
import dev.llmsweep.analysis.RawRows.Request;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.TestRuns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code points} table against statistics computed independently in Java (and, for the
 * quantiles, against Spark's own exact {@code percentile}) from known synthetic samples: ties, a
 * single sample, warm-up and proxy rows that must not count, and points whose rows lie in several
 * files written by several executors and are read by several tasks.
 */
@SparkOnly
class AggregatorTest {
  static final String RUN = "run-a";
  static final String[] METRICS = {"ttft", "itl", "tpot", "e2e", "batch", "proxy_ttft"};
  static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};
  static final String[] QUANTILE_COLUMNS = {"p50_ms", "p90_ms", "p95_ms", "p99_ms", "p999_ms"};

  @TempDir static Path root;
  static SparkSession spark;
  static RawRows raw;

  /** point id -> metric -> every measured sample the point's row must pool. */
  static final Map<String, Map<String, double[]>> samples = new HashMap<>();

  /** point id -> metric -> the generate call (repetition) of each of those samples. */
  static final Map<String, Map<String, int[]>> calls = new HashMap<>();

  static final Map<String, double[]> throughput = new HashMap<>();
  static Map<String, Row> points;

  @BeforeAll
  static void writeAndAggregate() {
    spark = TestSpark.newSession();
    raw = new RawRows(spark, root, RUN);
    Random rnd = new Random(42);
    // ties: values drawn from a handful of levels
    writePoint("ties", 4, 3, rnd, 3, () -> 10.0 * (1 + rnd.nextInt(4)));
    writePoint("single", 1, 1, rnd, 1, () -> 5.0 + rnd.nextDouble());
    writePoint("mid", 25, 10, rnd, 4, () -> 20 + 10 * rnd.nextGaussian());
    writePoint("large", 8, 150, rnd, 2, () -> Math.exp(3 + rnd.nextGaussian()));
    raw.commit();
    RunTables.writeRunRow(spark, root, RUN);
    assertTrue(
        RawRows.fileCount(root, RUN, "mid", "requests.parquet") > 1,
        "a point spread over several files");
    assertTrue(
        RawRows.fileCount(root, RUN, "ties", "batches.parquet") > 1,
        "a point spread over several files");
    assertEquals(4, Aggregator.aggregate(spark, TestRuns.open(spark, root.toString(), RUN)));
    points = new HashMap<>();
    for (Row r :
        spark.read().parquet(root.resolve(RUN).resolve("points").toString()).collectAsList()) {
      points.put(r.getAs("point_id"), r);
    }
  }

  interface Sample {
    double next();
  }

  /**
   * A point with {@code reps} measured repetitions of a batch, one warm-up and one proxy call whose
   * values are far off (they must not show up anywhere but proxy_ttft).
   */
  static void writePoint(String id, int batchSize, int reps, Random rnd, int files, Sample value) {
    Point p = new Point(id, "exp", batchSize, 16, 6, 0.7, 0.9, 0);
    List<Request> requests = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    List<Double> ttft = new ArrayList<>(), itl = new ArrayList<>(), tpot = new ArrayList<>();
    List<Double> e2e = new ArrayList<>(), batch = new ArrayList<>(), proxy = new ArrayList<>();
    List<Integer> requestCall = new ArrayList<>(),
        itlCall = new ArrayList<>(),
        tpotCall = new ArrayList<>();
    List<Integer> batchCall = new ArrayList<>(), proxyCall = new ArrayList<>();
    long generated = 0;
    long prompt = 0;
    // the single-sample point has neither a warm-up nor a proxy call: empty proxy_ttft
    for (int w = 0; w < (id.equals("single") ? 0 : 2); w++) {
      boolean isProxy = w == 1;
      double proxyLatency = 300 + rnd.nextInt(50);
      for (int i = 0; i < batchSize; i++) {
        requests.add(
            new Request(
                0, !isProxy, isProxy, i, "1", 6, 1, 1e6, new double[0], null, 1e6, "length"));
      }
      batches.add(new Batch(0, !isProxy, isProxy, "1", isProxy ? proxyLatency : 1e6, batchSize));
      if (isProxy) {
        proxy.add(proxyLatency);
        proxyCall.add(0);
      }
    }
    for (int rep = 1; rep <= reps; rep++) {
      long tokensThisBatch = 0;
      double slowest = 0;
      for (int i = 0; i < batchSize; i++) {
        int out = 1 + rnd.nextInt(6); // 1..6 tokens: a 1-token request has no ITL and no TPOT
        double first = Math.abs(value.next());
        double[] gaps = new double[out - 1];
        double t = first;
        for (int g = 0; g < gaps.length; g++) {
          gaps[g] = Math.abs(value.next()) / 4;
          t += gaps[g];
          itl.add(gaps[g]);
          itlCall.add(rep);
        }
        Double tp = out > 1 ? (t - first) / (out - 1) : null;
        int promptTokens = 4 + rnd.nextInt(5);
        String executor = String.valueOf(1 + (rep + i) % 2);
        requests.add(
            new Request(
                rep,
                false,
                false,
                i,
                executor,
                promptTokens,
                out,
                first,
                gaps,
                tp,
                t,
                i % 3 == 0 ? "eos" : "length"));
        ttft.add(first);
        requestCall.add(rep);
        if (tp != null) {
          tpot.add(tp);
          tpotCall.add(rep);
        }
        e2e.add(t);
        tokensThisBatch += out;
        prompt += promptTokens;
        slowest = Math.max(slowest, t);
      }
      double latency = slowest + rnd.nextDouble();
      batches.add(
          new Batch(rep, false, false, String.valueOf(1 + rep % 2), latency, tokensThisBatch));
      batch.add(latency);
      batchCall.add(rep);
      generated += tokensThisBatch;
    }
    raw.add(p, requests, batches, files);
    samples.put(
        id,
        Map.of(
            "ttft",
            arr(ttft),
            "itl",
            arr(itl),
            "tpot",
            arr(tpot),
            "e2e",
            arr(e2e),
            "batch",
            arr(batch),
            "proxy_ttft",
            arr(proxy)));
    calls.put(
        id,
        Map.of(
            "ttft",
            ints(requestCall),
            "itl",
            ints(itlCall),
            "tpot",
            ints(tpotCall),
            "e2e",
            ints(requestCall),
            "batch",
            ints(batchCall),
            "proxy_ttft",
            ints(proxyCall)));
    double wall = batch.stream().mapToDouble(Double::doubleValue).sum() / 1000;
    throughput.put(id, new double[] {generated, wall, prompt, (double) reps * batchSize});
  }

  static int[] ints(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }

  static double[] arr(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void everyStatisticMatchesAnIndependentComputation() {
    for (String id : samples.keySet()) {
      Row row = points.get(id);
      for (String m : METRICS) {
        double[] xs = samples.get(id).get(m);
        String where = id + "." + m;
        assertEquals(xs.length, ((Number) row.getAs(m + "_count")).longValue(), where + " count");
        near(Expected.mean(xs), row.getAs(m + "_mean_ms"), where + " mean");
        near(Expected.stddev(xs), row.getAs(m + "_stddev_ms"), where + " stddev");
        near(Expected.quantile(xs, 0), row.getAs(m + "_min_ms"), where + " min");
        near(Expected.quantile(xs, 1), row.getAs(m + "_max_ms"), where + " max");
        for (int q = 0; q < QUANTILES.length; q++) {
          near(
              Expected.quantile(xs, QUANTILES[q]),
              row.getAs(m + "_" + QUANTILE_COLUMNS[q]),
              where + " " + QUANTILE_COLUMNS[q]);
        }
        int[] cs = calls.get(id).get(m);
        long distinct = java.util.Arrays.stream(cs).distinct().count();
        assertEquals(distinct, ((Number) row.getAs(m + "_calls")).longValue(), where + " calls");
        near(
            Expected.clusteredCi(xs, cs, 0.5)[0],
            row.getAs(m + "_p50_ci_low_ms"),
            where + " p50 ci low");
        near(
            Expected.clusteredCi(xs, cs, 0.5)[1],
            row.getAs(m + "_p50_ci_high_ms"),
            where + " p50 ci high");
        near(
            Expected.clusteredCi(xs, cs, 0.99)[0],
            row.getAs(m + "_p99_ci_low_ms"),
            where + " p99 ci low");
        near(
            Expected.clusteredCi(xs, cs, 0.99)[1],
            row.getAs(m + "_p99_ci_high_ms"),
            where + " p99 ci high");
        assertEquals(
            distinct < 100, row.getAs(m + "_p99_few_samples"), where + " p99 flag counts calls");
        assertEquals(
            distinct < 1000, row.getAs(m + "_p999_few_samples"), where + " p999 flag counts calls");
      }
    }
  }

  @Test
  void quantilesAgreeWithSparksExactPercentileOverExplodedRows() {
    spark.conf().set("results", root.toString());
    Row ref =
        spark
            .sql(
                "SELECT percentile(x, array(0.5, 0.9, 0.95, 0.99, 0.999)) AS q, count(x) AS n "
                    + "FROM (SELECT explode(itl_ms) AS x FROM parquet.`${results}/run-a/raw/p-mid/requests.parquet` "
                    + "WHERE NOT warmup AND NOT proxy)")
            .first();
    List<Double> q = ref.getList(0);
    Row mid = points.get("mid");
    assertEquals(ref.getLong(1), ((Number) mid.getAs("itl_count")).longValue());
    for (int i = 0; i < QUANTILES.length; i++) {
      near(q.get(i), mid.getAs("itl_" + QUANTILE_COLUMNS[i]), "itl " + QUANTILE_COLUMNS[i]);
    }
  }

  @Test
  void aSingleSampleIsEveryQuantileWithNoSpreadAndNoInterval() {
    Row single = points.get("single");
    double v = samples.get("single").get("ttft")[0];
    assertEquals(1L, ((Number) single.getAs("ttft_count")).longValue());
    for (String c : QUANTILE_COLUMNS) {
      assertEquals(v, (double) single.getAs("ttft_" + c));
    }
    assertNull(single.getAs("ttft_stddev_ms"));
    assertNull(single.getAs("ttft_p50_ci_low_ms"));
    assertNull(single.getAs("ttft_p99_ci_high_ms"));
    assertTrue((Boolean) single.getAs("ttft_p99_few_samples"));
    List<String> warnings = single.getList(single.fieldIndex("warnings"));
    assertTrue(
        warnings.stream().anyMatch(w -> w.startsWith("p99 figures rest on 1 generate calls")),
        warnings.toString());
  }

  @Test
  void aPointWithoutProxyCallsHasAnEmptyProxyColumn() {
    Row single = points.get("single");
    assertEquals(0L, ((Number) single.getAs("proxy_ttft_count")).longValue());
    assertNull(single.getAs("proxy_ttft_p50_ms"));
    assertNull(single.getAs("proxy_ttft_max_ms"));
    List<String> warnings = single.getList(single.fieldIndex("warnings"));
    assertTrue(warnings.stream().noneMatch(w -> w.startsWith("proxy_ttft")), warnings.toString());
  }

  @Test
  void aLargePointHasBoundedIntervalsAroundItsQuantiles() {
    Row large = points.get("large");
    assertTrue(((Number) large.getAs("ttft_count")).longValue() >= 1000);
    assertEquals(150L, ((Number) large.getAs("ttft_calls")).longValue());
    assertEquals(false, large.getAs("ttft_p99_few_samples"));
    double lo = large.getAs("ttft_p99_ci_low_ms");
    double hi = large.getAs("ttft_p99_ci_high_ms");
    double p99 = large.getAs("ttft_p99_ms");
    assertTrue(lo <= p99 && p99 <= hi, lo + " <= " + p99 + " <= " + hi);
  }

  @Test
  void throughputIsGeneratedTokensOverMeasuredWallTime() {
    for (String id : samples.keySet()) {
      Row row = points.get(id);
      double[] t = throughput.get(id); // generated, wall_s, prompt tokens, requests
      assertEquals((long) t[0], ((Number) row.getAs("generated_tokens")).longValue(), id);
      near(t[1], row.getAs("wall_s"), id + " wall");
      near(t[0] / t[1], row.getAs("output_tokens_per_s"), id + " output tok/s");
      near((t[0] + t[2]) / t[1], row.getAs("total_tokens_per_s"), id + " total tok/s");
      near(t[3] / t[1], row.getAs("requests_per_s"), id + " requests/s");
      assertEquals((long) t[3], ((Number) row.getAs("requests")).longValue(), id);
      long extras = id.equals("single") ? 0 : 1;
      assertEquals(extras, ((Number) row.getAs("warmup_batches")).longValue(), id);
      assertEquals(extras, ((Number) row.getAs("proxy_batches")).longValue(), id);
    }
  }

  @Test
  void sampleSummarySkipsNullsAndNaNInScalarsAndArrays() {
    // what a failed stream leaves: a null TTFT, an ITL list with a hole, an undefined (NaN)
    // metric; none of them is a sample, and a call whose samples are all missing is no call
    Row s =
        spark
            .sql(
                "SELECT sample_summary(c, x) AS scalars, sample_summary(c, xs) AS arrays,"
                    + " sample_summary(c, ints) AS ints FROM VALUES"
                    + " (1, 3.0D, array(2.0D, null, 1.0D), array(4, 2)),"
                    + " (1, null, array(CAST('NaN' AS DOUBLE)), array(3)),"
                    + " (2, CAST('NaN' AS DOUBLE), CAST(null AS ARRAY<DOUBLE>), array(1)),"
                    + " (3, 1.0D, array(5.0D), CAST(null AS ARRAY<INT>)) AS t(c, x, xs, ints)")
            .first();
    Row scalars = s.getStruct(0);
    assertEquals(List.of(1.0, 3.0), scalars.getList(scalars.fieldIndex("sorted")));
    assertEquals(2L, scalars.<Long>getAs("count"));
    assertEquals(2L, scalars.<Long>getAs("calls"));
    assertEquals(2.0, scalars.<Double>getAs("mean"), 1e-12);
    Row arrays = s.getStruct(1);
    assertEquals(List.of(1.0, 2.0, 5.0), arrays.getList(arrays.fieldIndex("sorted")));
    assertEquals(2L, arrays.<Long>getAs("calls"));
    Row ints = s.getStruct(2);
    assertEquals(List.of(1.0, 2.0, 3.0, 4.0), ints.getList(ints.fieldIndex("sorted")));
    assertEquals(2L, ints.<Long>getAs("calls"));
  }

  @Test
  void rowsStateTheirDefinitionsAndMethods() {
    Row row = points.get("mid");
    assertEquals(Aggregator.DEFINITIONS, row.getAs("metric_definitions"));
    assertTrue(((String) row.getAs("quantile_method")).startsWith("exact"));
    assertTrue(((String) row.getAs("ci_method")).startsWith("clustered by generate call"));
    assertEquals(2L, ((Number) row.getAs("executors")).longValue());
    assertEquals(10L, ((Number) row.getAs("repetitions")).longValue());
  }

  @Test
  void missingRootAndRunAreClearErrors() {
    MissingResultsException noRoot =
        assertThrows(
            MissingResultsException.class,
            () ->
                Aggregator.aggregate(
                    spark, TestRuns.open(spark, root.resolve("nowhere").toString(), RUN)));
    assertTrue(noRoot.getMessage().contains("does not exist"), noRoot.getMessage());
    MissingResultsException noRun =
        assertThrows(
            MissingResultsException.class,
            () -> Aggregator.aggregate(spark, TestRuns.open(spark, root.toString(), "run-zzz")));
    assertTrue(
        noRun.getMessage().contains("no run 'run-zzz'") && noRun.getMessage().contains(RUN),
        noRun.getMessage());
  }

  static void near(Double expected, Object actual, String what) {
    if (expected == null) {
      assertNull(actual, what);
      return;
    }
    assertNotNull(actual, what);
    double a = ((Number) actual).doubleValue();
    assertEquals(expected, a, 1e-9 * Math.max(1, Math.abs(expected)), what);
  }
}
