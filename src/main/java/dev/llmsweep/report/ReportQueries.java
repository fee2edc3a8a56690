package dev.llmsweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.Recommender;
import dev.llmsweep.analysis.SqlScript;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.ItlCdf;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the report of one run from the SQL views (driver side; the views must be loaded for the
 * run, e.g. by {@code Views.load}). The recommendations come from {@link Recommender}, exactly as
 * {@code ./submit recommend} prints them.
 */
public final class ReportQueries {
  /** CDF levels of the ITL plot: every percent, and the tail. */
  static final double[] ITL_LEVELS = itlLevels();

  private final SparkSession spark;
  private final Run run;

  /**
   * Queries of {@code run}, whose recommendations widen their intervals by the earlier runs of its
   * job under its results root.
   */
  public ReportQueries(SparkSession spark, Run run) {
    this.spark = spark;
    this.run = run;
  }

  /** The report of the run (its manifest.json read through the handle; a run may have none). */
  public Report read(double budgetS) {
    JsonNode manifest = run.manifest();
    Row facts = query("run_facts.sql").get(0);
    RunSetup setup =
        RunSetup.of(
            manifest,
            facts.getAs("models"),
            facts.<String>getAs("devices") + " (" + facts.<String>getAs("device_names") + ")");
    List<Row> batch = query("batch_table.sql");
    List<Row> seqlen = query("seqlen_table.sql");
    List<Row> sampling = query("sampling_table.sql");
    List<Table> tables = new ArrayList<>();
    ReportShapes.addTable(
        tables,
        "batch_sweep",
        "The notebook's batch table: per batch size, streaming TTFT (and the notebook's"
            + " proxy TTFT), batch latency (wall time of one generate call) in ms and output throughput in tok/s.",
        batch);
    ReportShapes.addTable(
        tables,
        "seqlen_sweep",
        "The notebook's output-length table: batch latency (ms) against the length"
            + " asked for and generated.",
        seqlen);
    ReportShapes.addTable(
        tables,
        "sampling_sweep",
        "The notebook's sampling table: batch latency (ms) across temperature,"
            + " top_p and top_k.",
        sampling);
    ReportShapes.addTable(
        tables,
        "gpu_capacity",
        "What a capacity planner needs from each GPU point, by batch size: output"
            + " throughput (tok/s), tokens per joule, mean power draw (W) and energy (J) of the measured calls, peak"
            + " device memory (MiB, measured on the device), mean SM clock, hottest temperature and the throttle"
            + " reasons seen, from the device's telemetry.",
        query("gpu_table.sql"));
    List<Row> load =
        spark.catalog().tableExists("load_sweep") ? query("load_table.sql") : List.of();
    ReportShapes.addTable(
        tables,
        "load_sweep",
        "Open-loop load against the endpoint: per offered request rate, the achieved rate,"
            + " goodput (successes within the SLOs per second), error rate and latency quantiles; each request timed"
            + " from its scheduled arrival.",
        load);
    List<Row> comparison =
        spark.catalog().tableExists("comparisons") ? query("comparison_table.sql") : List.of();
    ReportShapes.addTable(
        tables,
        "comparison",
        "This run against its baseline (./submit compare, or the job's compare.baseline):"
            + " ratio run/baseline with a 95% bootstrap interval from the raw samples, and the verdict; regressions"
            + " first.",
        comparison);

    Recommender recommender = Recommender.withEarlierRuns(spark);
    List<SweetSpot> spots = recommender.sweetSpots(run);
    List<BatchCurve> curves = ReportShapes.batchCurves(batch, spots);
    List<Recommendation> budget =
        List.of(
            recommender.withinBudget(run, budgetS, "p50"),
            recommender.withinBudget(run, budgetS, "p99"));

    List<String> warnings = warnings(setup, batch);
    long slower = comparison.stream().filter(r -> "slower".equals(r.getAs("verdict"))).count();
    if (slower > 0) {
      warnings.add(
          0,
          "regression: "
              + slower
              + " figure(s) significantly slower than the baseline (see the comparison table)");
    }
    List<String> definitions = new ArrayList<>();
    String defs = facts.getAs("metric_definitions");
    if (defs != null) {
      definitions.addAll(Arrays.asList(defs.split(";\\s*")));
    }
    definitions.add("quantiles: " + facts.getAs("quantile_method"));
    definitions.add("confidence intervals: " + facts.getAs("ci_method"));
    definitions.add(
        "ITL distribution plot: percentile_approx at "
            + ITL_LEVELS.length
            + " levels (rank error at most 1/10000 of the samples)");
    return new Report(
        run.id(),
        budgetS,
        setup,
        tables,
        curves,
        itl(batch),
        ReportShapes.lengthCurves(seqlen),
        ReportShapes.samplingCurves(sampling),
        budget,
        spots,
        warnings,
        definitions,
        ReportShapes.loadCurves(load),
        recommender.spread(run).describe());
  }

  private List<Row> query(String resource) {
    String sql = SqlScript.resource(ReportQueries.class, resource).statements().get(0);
    Map<String, Object> args = new HashMap<>();
    args.put("run", run.id());
    if (sql.contains(":levels")) {
      args.put("levels", ITL_LEVELS);
    }
    if (sql.contains(":drift_tolerance")) {
      args.put("drift_tolerance", dev.llmsweep.analysis.Aggregator.DRIFT_TOLERANCE);
    }
    return spark.sql(sql, args).collectAsList();
  }

  /** The ITL distribution of every point of every batch-size curve, by curve label. */
  private Map<String, List<ItlCdf>> itl(List<Row> batch) {
    Map<String, List<Row>> curves = ReportShapes.byCurve(batch);
    Map<String, double[]> byPoint = new HashMap<>();
    if (!curves.isEmpty()) {
      for (Row r : query("itl_cdf.sql")) {
        if (!r.isNullAt(2)) {
          byPoint.put(
              r.getString(0),
              r.getList(2).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray());
        }
      }
    }
    Map<String, List<ItlCdf>> out = new LinkedHashMap<>();
    curves.forEach(
        (label, rows) -> {
          List<ItlCdf> cdfs = new ArrayList<>();
          for (Row r : rows) {
            double[] ms = byPoint.get(r.<String>getAs("point_id"));
            if (ms != null) {
              cdfs.add(new ItlCdf(r.getAs("batch_size"), ms, ITL_LEVELS.clone()));
            }
          }
          if (!cdfs.isEmpty()) {
            out.put(label, cdfs);
          }
        });
    return out;
  }

  private static String statusLabel(RunSetup setup) {
    return setup.status() == null ? "unknown" : setup.status().label();
  }

  /** Point counts, small samples, the proxy column and the points' own warnings. */
  private List<String> warnings(RunSetup setup, List<Row> batch) {
    List<String> out = new ArrayList<>();
    if (setup.pointsPlanned() < 0) {
      out.add("the run has no manifest.json: its setup and point counts are unknown");
    } else if (setup.pointsCommitted() < setup.pointsPlanned()) {
      out.add(
          String.format(
              "only %d of %d planned points are committed (status %s): the missing points failed"
                  + " or did not run, and every table and plot below lacks them",
              setup.pointsCommitted(), setup.pointsPlanned(), statusLabel(setup)));
    } else if (setup.status() != RunManifest.Status.COMPLETED) {
      out.add("the run's status is " + statusLabel(setup));
    }
    if (batch.stream().anyMatch(r -> !r.isNullAt(r.fieldIndex("proxy_ttft_p50_ms")))) {
      out.add(
          "proxy_ttft_* is the notebook's TTFT: the wall time of a separate max_tokens=1 call, not the time"
              + " to the first streamed token (ttft_*), which is the real TTFT");
    }
    for (Row r : query("warnings.sql")) {
      String w = r.getString(0);
      if (!w.startsWith("proxy_ttft_*")) {
        out.add(w + " (" + r.getLong(1) + (r.getLong(1) == 1 ? " point)" : " points)"));
      }
    }
    return out;
  }

  private static double[] itlLevels() {
    double[] levels = new double[103];
    for (int i = 0; i < 100; i++) {
      levels[i] = i / 100.0;
    }
    levels[100] = 0.995;
    levels[101] = 0.999;
    levels[102] = 1.0;
    return levels;
  }
}
