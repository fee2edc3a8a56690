package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.SweepFixture.Known;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The views of conf/views.sql, loaded into a plain Spark session that ran nothing but the file's
 * statements (after SET results / SET run, as a spark-sql user would): every view answers, the
 * notebook tables hold the right points, and both knee rules find the knee of a curve whose knee is
 * known.
 */
@SparkOnly
class ViewsTest {
  static SparkSession plain;
  static List<Known> known;

  @BeforeAll
  static void loadTheFileIntoAPlainSession() throws IOException {
    Path root = SweepFixture.root();
    known = SweepFixture.known();
    plain = TestSpark.newWholeFileSession();
    plain.sql("SET results=" + root);
    plain.sql("SET run=" + SweepFixture.RUN);
    for (String statement :
        SqlScript.parse(Files.readString(Path.of("conf/views.sql"))).statements()) {
      plain.sql(statement);
    }
  }

  @Test
  void everyViewExistsAndAnswers() {
    assertFalse(
        plain.catalog().functionExists(SampleSummaryFunction.NAME), "the session must be plain");
    for (String view : Views.NAMES) {
      // the fixture run was never compared: its comparisons view exists and is empty (CompareTest
      // fills one)
      long rows = plain.table(view).count();
      // the fixture is a closed-loop sweep never compared: no comparisons, no open-loop points
      // (EndpointClusterTest checks load_sweep's rows)
      boolean empty = view.equals("comparisons") || view.equals("load_sweep");
      assertTrue(empty ? rows == 0 : rows > 0, view + ": " + rows + " rows");
    }
    assertEquals(known.size(), plain.table("points").count());
    assertEquals(3L * known.size(), plain.table("batches").count());
  }

  @Test
  void theLaunchersViewsHaveTheColumnsOfTheFileRunAsSql() {
    // Views.load creates the plain Parquet scans from one footer read on the driver
    // (ParquetScanViews), not through Spark's inference job: same columns, types and rows
    SparkSession loaded = plain.newSession();
    Views.load(loaded, SweepFixture.root().toString(), SweepFixture.RUN, Set.of());
    for (String view : Views.NAMES) {
      assertEquals(
          plain.table(view).schema().treeString(), loaded.table(view).schema().treeString(), view);
      assertEquals(plain.table(view).count(), loaded.table(view).count(), view);
    }
  }

  @Test
  void batchSweepIsTheNotebookTable() {
    List<Row> rows =
        plain
            .sql(
                "SELECT batch_size, latency_p50_s, latency_p99_s, throughput_tokens_per_s, "
                    + "latency_p99_few_samples, ttft_p50_ms FROM batch_sweep ORDER BY batch_size")
            .collectAsList();
    assertEquals(SweepFixture.BATCH.length, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Known k = byId("b" + SweepFixture.BATCH[i]);
      Row r = rows.get(i);
      assertEquals(k.batchSize(), r.getInt(0));
      assertEquals(k.p50S(), r.getDouble(1), 1e-9);
      assertEquals(k.p99S(), r.getDouble(2), 1e-9);
      assertEquals(k.throughput(), r.getDouble(3), 1e-9 * k.throughput());
      assertTrue(r.getBoolean(4), "3 batches: the p99 is flagged");
      assertEquals(10.0, r.getDouble(5), 1e-12);
    }
  }

  @Test
  void seqlenAndSamplingSweepsHoldTheirExperiments() {
    assertEquals(Set.of("seqlen"), strings("SELECT DISTINCT experiment FROM seqlen_sweep"));
    assertEquals(
        Set.of("32", "64", "128"), strings("SELECT CAST(max_tokens AS STRING) FROM seqlen_sweep"));
    assertEquals(Set.of("sampling"), strings("SELECT DISTINCT experiment FROM sampling_sweep"));
    assertEquals(4, plain.table("sampling_sweep").count());
  }

  @Test
  void bothKneeRulesFindTheKnownKnee() {
    // computed here from the known curve, independently of the view
    double[] x = SweepFixture.BATCH_P50_S.clone();
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = byId("b" + SweepFixture.BATCH[i]).throughput();
    }
    int kneedle = 0;
    int notebook = 0;
    double bestD = Double.NEGATIVE_INFINITY;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      double xn = (x[i] - x[0]) / (x[x.length - 1] - x[0]);
      double yn = (y[i] - min(y)) / (max(y) - min(y));
      if (yn - xn > bestD) {
        bestD = yn - xn;
        kneedle = SweepFixture.BATCH[i];
      }
      if (Math.abs(xn - (1 - yn)) < bestGap) {
        bestGap = Math.abs(xn - (1 - yn));
        notebook = SweepFixture.BATCH[i];
      }
    }
    assertEquals(8, kneedle, "the curve's knee, where throughput stops growing with latency");
    assertEquals(16, notebook, "where normalised latency crosses inverted normalised throughput");
    List<Row> spots =
        plain
            .sql("SELECT rule, batch_size, used_by_recommend FROM sweet_spot ORDER BY rule")
            .collectAsList();
    assertEquals(2, spots.size());
    assertEquals("kneedle", spots.get(0).getString(0));
    assertEquals(kneedle, spots.get(0).getInt(1));
    assertTrue(spots.get(0).getBoolean(2));
    assertEquals("notebook", spots.get(1).getString(0));
    assertEquals(notebook, spots.get(1).getInt(1));
    assertFalse(spots.get(1).getBoolean(2));
  }

  @Test
  void theFrontierHoldsExactlyTheUndominatedPoints() {
    Set<String> expected = new HashSet<>();
    for (Known k : known) {
      boolean dominated =
          known.stream()
              .anyMatch(
                  o ->
                      o != k
                          && o.p50S() <= k.p50S()
                          && o.throughput() >= k.throughput()
                          && (o.p50S() < k.p50S() || o.throughput() > k.throughput()));
      if (!dominated) {
        expected.add(k.id());
      }
    }
    assertEquals(expected, strings("SELECT point_id FROM budget_frontier WHERE on_p50_frontier"));
  }

  @Test
  void failuresListTheFailedPointWhichTheSweepViewsLeaveOut() {
    List<Row> rows =
        plain
            .sql(
                "SELECT point_id, reason, phase, batch_size, message, model_discarded FROM failures")
            .collectAsList();
    assertEquals(1, rows.size(), rows.toString());
    Row f = rows.get(0);
    assertEquals(SweepFixture.FAILED.pointId(), f.getString(0));
    assertEquals("out_of_memory", f.getString(1));
    assertEquals("generate", f.getString(2));
    assertEquals(128, f.getInt(3));
    assertEquals("Java heap space", f.getString(4));
    assertTrue(f.getBoolean(5));
    assertEquals(0, plain.sql("SELECT * FROM points WHERE point_id = 'f128'").count());
    assertFalse(strings("SELECT CAST(batch_size AS STRING) FROM batch_sweep").contains("128"));
  }

  private Set<String> strings(String sql) {
    Set<String> out = new HashSet<>();
    plain.sql(sql).collectAsList().forEach(r -> out.add(r.getString(0)));
    return out;
  }

  static Known byId(String id) {
    return known.stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElseThrow();
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElseThrow();
  }
}
