package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.Recommender;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.job.Plan;
import dev.llmsweep.report.Report;
import dev.llmsweep.report.ReportQueries;
import dev.llmsweep.report.Table;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment measured with every point, through a sweep on local Spark: probe readings
 * injected through the factory's seam ({@link ProbedGenerators}, the fake engine: these tests are
 * about how readings become columns, verdicts and exclusions, not about the engine). The real
 * probes: {@link RealProbesTest}.
 */
@SparkOnly
class EnvironmentSweepTest extends TestSpark {

  @TempDir Path dir;

  @AfterAll
  static void steadyProbes() {
    ProbedGenerators.READ_GBPS = n -> 10.0;
  }

  /**
   * Sweeps the job on {@code device} as run {@code runId}, aggregates it and returns a session with
   * the run's views {@code views} (every view when empty).
   */
  private SparkSession sweep(String device, String runId, Set<String> views) throws Exception {
    Path job =
        TestSpark.jobFile(
            dir,
            "env-" + runId,
            """
        experiments = [
          { name = env, device = %s, axes { batch_size = [1, 2, 4, 8], max_tokens = 8, prompt_tokens = 4 },
            repetitions = 3, warmups = 1, warmup_max = 1, model_warmup_s = 0 }
        ]
        """
                .formatted(device));
    Plan plan = TestSpark.plan(job);
    RunStore store =
        RunStore.open(
            dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
    SweepJob.Result r =
        TestSpark.sweep(spark, store, runId, ProbedGenerators.class.getName()).run(plan);
    assertEquals("completed", r.manifest().status().label());
    SparkSession session = spark.newSession();
    Aggregator.aggregate(session, store.run(runId));
    Views.load(session, store.root().toString(), runId, views);
    return session;
  }

  @Test
  void aPointWhoseProbesDifferBeyondTheToleranceIsEnvChangedWarnedAndLeftOut() throws Exception {
    // the machine steps once: from the fourth probe of this sweep on, bandwidth reads 30% more;
    // the point whose before and after straddle the step changed, the others read the same before
    // and after, so the probe's resolution on the run is 0 and the tolerance decides
    int first = ProbedGenerators.PROBES.get();
    ProbedGenerators.READ_GBPS = n -> n - first >= 3 ? 13.0 : 10.0;
    SparkSession views = sweep("cpu", "env-run", Set.of());
    List<Row> points =
        views
            .sql(
                "SELECT point_id, batch_size, env_read_gbps_before, env_read_gbps_after,"
                    + " env_fma_gflops_before, env_changed, env_change, env_probe_ms, env_point_ms, warnings, gpu_power_w,"
                    + " telemetry_source, tokens_per_joule FROM points ORDER BY batch_size")
            .collectAsList();
    assertEquals(4, points.size());
    int changed = 0;
    for (Row p : points) {
      double before = p.getDouble(2);
      double after = p.getDouble(3);
      boolean expected = Math.max(before / after, after / before) - 1 > 0.10;
      assertEquals(
          expected,
          p.getBoolean(5),
          "env_changed is the 10% rule on the recorded probes (at most one point of four"
              + " straddles the step: the median change, the probe's resolution, is 0): "
              + p);
      assertEquals(100.0, p.getDouble(4), 0, "the FMA reading as the probe gave it");
      assertTrue(
          p.getDouble(7) > 0 && p.getDouble(7) <= p.getDouble(8),
          "probe time within the point's time: " + p);
      List<String> warnings = p.getList(9);
      assertEquals(
          expected,
          warnings.stream().anyMatch(w -> w.startsWith("env_changed: ")),
          "warned: " + warnings);
      assertTrue(
          p.isNullAt(10) && p.isNullAt(11) && p.isNullAt(12),
          "no GPU telemetry on the CPU: NULL, not 0");
      changed += expected ? 1 : 0;
    }
    assertEquals(1, changed, "the point that straddles the step, and only it: " + points);
    List<String> changedIds =
        points.stream()
            .filter(p -> p.getBoolean(5))
            .map(p -> p.<String>getAs("point_id"))
            .sorted()
            .toList();

    Run run =
        RunStore.open(dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration())
            .run("env-run");
    Recommender recommender = new Recommender(views);
    for (String by : List.of("p50", "p99")) {
      Recommendation rec = recommender.withinBudget(run, 100, by);
      assertFalse(
          changedIds.contains(rec.choice().pointId()),
          "recommend never picks a changed point: " + rec.describe());
      assertEquals(changedIds, rec.envChangedSkipped());
      assertTrue(
          rec.describe()
              .contains(changedIds.size() + " point(s) with a changed environment skipped"),
          rec.describe());
    }
    List<SweetSpot> spots = recommender.sweetSpots(run);
    if (!spots.isEmpty()) { // a curve needs 3 unchanged points
      assertEquals(
          4 - changedIds.size(),
          spots.get(0).curvePoints(),
          "the curve without the changed points");
      assertEquals(changedIds.size(), spots.get(0).envChangedSkipped());
    }
    Report report = new ReportQueries(views, run).read(100);
    assertTrue(
        report.warnings().stream()
            .anyMatch(
                w ->
                    w.startsWith("env_changed: ")
                        && w.endsWith(
                            "("
                                + changedIds.size()
                                + (changedIds.size() == 1 ? " point)" : " points)"))),
        report.warnings().toString());

    JsonNode attempt = run.manifest().get("attempts").get(0).get("environment");
    assertEquals(
        10.0,
        attempt.get("read_gbps").get("min").asDouble(),
        0,
        "per attempt: the spread of the readings");
    assertEquals(13.0, attempt.get("read_gbps").get("max").asDouble(), 0);
    assertEquals(changed, attempt.get("points_env_changed").asInt());
    assertTrue(attempt.get("probe_share").asDouble() > 0, attempt.toString());
    assertTrue(attempt.get("gpu_copy_gbps").isNull(), "no GPU figure on a CPU run");
  }

  @Test
  void gpuPointsGetClocksPowerEnergyPeakMemoryAndTokensPerJouleAndRecommendAnswersByEnergy()
      throws Exception {
    ProbedGenerators.READ_GBPS = n -> 10.0;
    // the points view only: the recommendation and report below read a fresh session's views
    SparkSession views = sweep("gpu", "gpu-run", Set.of("points"));
    List<Row> points = views.sql("SELECT * FROM points ORDER BY batch_size").collectAsList();
    for (Row p : points) {
      assertEquals("nvidia-smi", p.getAs("telemetry_source"));
      assertEquals(
          1980.0, p.<Double>getAs("gpu_sm_clock_mhz"), 1e-9, "mean SM clock of the measured calls");
      assertEquals(2619.0, p.<Double>getAs("gpu_mem_clock_mhz"), 1e-9);
      assertEquals(
          500.0,
          p.<Double>getAs("gpu_power_w"),
          1e-9,
          "the 50 W sample before the point is not in the mean");
      assertEquals(70.0, p.<Double>getAs("gpu_temp_c_max"), 1e-9);
      assertEquals(
          9000.0,
          p.<Double>getAs("gpu_peak_memory_mib"),
          1e-9,
          "peak over every sample of the point");
      assertEquals("sw_power_cap", p.getAs("gpu_throttle_reasons"));
      assertEquals(1, p.<Integer>getAs("gpu_other_processes"));
      double energy = 500.0 * p.<Double>getAs("wall_s");
      assertEquals(
          energy,
          p.<Double>getAs("gpu_energy_j"),
          1e-9,
          "mean power x the measured calls' wall time");
      assertEquals(
          p.<Long>getAs("generated_tokens") / energy, p.<Double>getAs("tokens_per_joule"), 1e-9);
      assertEquals(3000.0, p.<Double>getAs("gpu_copy_gbps_before"), 0);
      assertEquals(600.0, p.<Double>getAs("gpu_gemm_tflops_after"), 0);
      assertFalse(p.<Boolean>getAs("env_changed"));
    }

    // seeded points: the test writes the points table with chosen tokens per joule (batch 2 the
    // most
    // efficient of the unchanged points, batch 8 more efficient still but its environment changed)
    Path table = dir.resolve("results").resolve("gpu-run").resolve("points");
    Dataset<Row> read = views.read().parquet(table.toString());
    List<Row> rows = read.collectAsList();
    Dataset<Row> seeded =
        views
            .createDataFrame(rows, read.schema())
            .withColumn(
                "tokens_per_joule",
                functions.expr(
                    "CAST(CASE batch_size WHEN 1 THEN 1 WHEN 2 THEN 5 WHEN 4 THEN 3 ELSE 9 END AS DOUBLE)"))
            .withColumn("env_changed", functions.expr("batch_size = 8"))
            .withColumn(
                "env_change", functions.expr("CASE WHEN batch_size = 8 THEN 0.4 ELSE 0.0 END"));
    List<Row> seededRows = seeded.collectAsList();
    try (Stream<Path> files = Files.walk(table)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    views
        .createDataFrame(seededRows, seeded.schema())
        .coalesce(1)
        .write()
        .parquet(table.toString());
    SparkSession fresh = spark.newSession();
    Views.load(fresh, dir.resolve("results").toUri().toString(), "gpu-run", Set.of());
    Run run =
        RunStore.open(dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration())
            .run("gpu-run");
    Recommender recommender = new Recommender(fresh);
    Recommendation energy = recommender.withinBudget(run, 100, "energy");
    assertEquals(2, energy.choice().batchSize(), energy.describe());
    assertEquals(5.0, energy.tokensPerJoule(), 0);
    assertTrue(
        energy.describe().startsWith("by energy: batch_size=2")
            && energy.describe().contains("5.000 tokens/J")
            && energy.describe().contains("1 point(s) with a changed environment skipped"),
        energy.describe());

    Report report = new ReportQueries(fresh, run).read(100);
    Table capacity =
        report.tables().stream()
            .filter(t -> t.title().equals("gpu_capacity"))
            .findFirst()
            .orElseThrow();
    // (the experiment, the same in every row, moves to the caption)
    assertEquals(
        List.of("batch_size", "throughput_tok_s", "tok_per_j"), capacity.columns().subList(0, 3));
    assertEquals(
        List.of(1, 2, 4, 8), capacity.rows().stream().map(r -> r.get(0)).toList(), "by batch size");
    assertEquals(List.of(1.0, 5.0, 3.0, 9.0), capacity.rows().stream().map(r -> r.get(2)).toList());
    Table batch =
        report.tables().stream()
            .filter(t -> t.title().equals("batch_sweep"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        batch.columns().contains("tok_per_j"),
        "the batch table's tok/J column: " + batch.columns());
    assertTrue(
        report.warnings().stream().anyMatch(w -> w.startsWith("env_changed: ")),
        report.warnings().toString());
  }
}
