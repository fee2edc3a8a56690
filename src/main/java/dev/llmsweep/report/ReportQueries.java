package dev.llmsweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.analysis.Candidate;
import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.Recommender;
import dev.llmsweep.analysis.SqlScript;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.BatchPoint;
import dev.llmsweep.report.PlotData.Interval;
import dev.llmsweep.report.PlotData.ItlCdf;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.LengthPoint;
import dev.llmsweep.report.PlotData.SamplingCurve;
import dev.llmsweep.report.PlotData.SamplingPoint;
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
    addTable(
        tables,
        "batch_sweep",
        "The notebook's batch table: per batch size, streaming TTFT (and the notebook's"
            + " proxy TTFT), batch latency (wall time of one generate call) in ms and output throughput in tok/s.",
        batch);
    addTable(
        tables,
        "seqlen_sweep",
        "The notebook's output-length table: batch latency (ms) against the length"
            + " asked for and generated.",
        seqlen);
    addTable(
        tables,
        "sampling_sweep",
        "The notebook's sampling table: batch latency (ms) across temperature,"
            + " top_p and top_k.",
        sampling);
    addTable(
        tables,
        "gpu_capacity",
        "What a capacity planner needs from each GPU point, by batch size: output"
            + " throughput (tok/s), tokens per joule, mean power draw (W) and energy (J) of the measured calls, peak"
            + " device memory (MiB, measured on the device), mean SM clock, hottest temperature and the throttle"
            + " reasons seen, from the device's telemetry.",
        query("gpu_table.sql"));
    List<Row> load =
        spark.catalog().tableExists("load_sweep") ? query("load_table.sql") : List.of();
    addTable(
        tables,
        "load_sweep",
        "Open-loop load against the endpoint: per offered request rate, the achieved rate,"
            + " goodput (successes within the SLOs per second), error rate and latency quantiles; each request timed"
            + " from its scheduled arrival.",
        load);
    List<Row> comparison =
        spark.catalog().tableExists("comparisons") ? query("comparison_table.sql") : List.of();
    addTable(
        tables,
        "comparison",
        "This run against its baseline (./submit compare, or the job's compare.baseline):"
            + " ratio run/baseline with a 95% bootstrap interval from the raw samples, and the verdict; regressions"
            + " first.",
        comparison);

    Recommender recommender = Recommender.withEarlierRuns(spark);
    List<SweetSpot> spots = recommender.sweetSpots(run);
    List<BatchCurve> curves = batchCurves(batch, spots);
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
        lengthCurves(seqlen),
        samplingCurves(sampling),
        budget,
        spots,
        warnings,
        definitions,
        loadCurves(load),
        recommender.spread(run).describe());
  }

  /** The load_sweep rows as one curve per experiment (and output and prompt length). */
  static List<LoadPlots.LoadCurve> loadCurves(List<Row> rows) {
    Map<String, List<Row>> byCurve = new LinkedHashMap<>();
    for (Row r : rows) {
      if (!r.isNullAt(r.fieldIndex("ttft_p50_ms"))) {
        byCurve.computeIfAbsent(r.<String>getAs("experiment"), k -> new ArrayList<>()).add(r);
      }
    }
    List<LoadPlots.LoadCurve> out = new ArrayList<>();
    byCurve.forEach(
        (label, rs) ->
            out.add(
                new LoadPlots.LoadCurve(
                    label,
                    rs.stream()
                        .map(
                            r ->
                                new LoadPlots.LoadPoint(
                                    r.<Double>getAs("request_rate"),
                                    number(r, "achieved_requests_per_s"),
                                    number(r, "goodput_requests_per_s"),
                                    number(r, "error_rate"),
                                    number(r, "ttft_p50_ms"),
                                    number(r, "ttft_p99_ms"),
                                    number(r, "tpot_p50_ms"),
                                    number(r, "tpot_p99_ms")))
                        .toList(),
                    number(rs.get(0), "slo_ttft_ms"),
                    number(rs.get(0), "slo_tpot_ms"))));
    return out;
  }

  private static double number(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
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

  /**
   * Adds a table: the query's columns in order, except the point ids and the intervals (drawn as
   * error bars), and except the settings that hold one value in every row and the measurements that
   * are null in every row: those go to the caption ("the same in every row: temperature 0.7, ..."),
   * so the swept axis and the answers lead.
   */
  static void addTable(List<Table> tables, String title, String caption, List<Row> rows) {
    if (rows.isEmpty()) {
      return; // the run has no such experiment: left out, not shown empty
    }
    List<String> columns = new ArrayList<>();
    List<String> constant = new ArrayList<>();
    for (String c : rows.get(0).schema().fieldNames()) {
      if (c.equals("point_id") || c.contains("_ci_")) {
        continue;
      }
      Object first = rows.get(0).getAs(c);
      boolean same =
          rows.size() > 1
              && rows.stream().allMatch(r -> java.util.Objects.equals(r.getAs(c), first));
      boolean measured = c.endsWith("_ms") || c.endsWith("_tok_s") || c.endsWith("_per_j");
      if (same
          && (first == null
              || !measured)) { // a measured column stays, unless it was not measured at all
        constant.add(
            c
                + " "
                + (first == null
                    ? "not measured"
                    : first instanceof Boolean b ? (b ? "yes" : "no") : Html.number(first)));
      } else {
        columns.add(c);
      }
    }
    List<List<Object>> values = new ArrayList<>();
    for (Row r : rows) {
      List<Object> row = new ArrayList<>();
      for (String c : columns) {
        row.add(r.getAs(c));
      }
      values.add(row);
    }
    String constants =
        constant.isEmpty() ? "" : " The same in every row: " + String.join(", ", constant) + ".";
    tables.add(new Table(title, caption + constants, columns, values));
  }

  /** The curve of a batch-sweep row: its experiment and every other axis. */
  static String curveLabel(Row r) {
    return r.<String>getAs("experiment")
        + " (max_tokens="
        + r.getAs("max_tokens")
        + ", prompt_tokens="
        + r.getAs("prompt_tokens")
        + ", T="
        + Html.number(r.getAs("temperature"))
        + ", top_p="
        + Html.number(r.getAs("top_p"))
        + (r.<Integer>getAs("top_k") > 0 ? ", top_k=" + r.getAs("top_k") : "")
        + ", seed="
        + r.getAs("seed")
        + ")";
  }

  /** Batch-sweep rows that can be drawn (they have measured batches), grouped by curve. */
  private static Map<String, List<Row>> byCurve(List<Row> rows) {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    for (Row r : rows) {
      if (!r.isNullAt(r.fieldIndex("latency_p50_ms")) && !r.isNullAt(r.fieldIndex("ttft_p50_ms"))) {
        out.computeIfAbsent(curveLabel(r), k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  /** Batch-sweep rows as curves, with the sweet spots of each curve. */
  static List<BatchCurve> batchCurves(List<Row> rows, List<SweetSpot> spots) {
    List<BatchCurve> curves = new ArrayList<>();
    byCurve(rows)
        .forEach(
            (label, curve) -> {
              List<String> ids = curve.stream().map(r -> r.<String>getAs("point_id")).toList();
              List<BatchPoint> points =
                  curve.stream()
                      .map(
                          r ->
                              new BatchPoint(
                                  r.getAs("batch_size"),
                                  r.getAs("ttft_p50_ms"),
                                  r.getAs("ttft_p99_ms"),
                                  r.getAs("proxy_ttft_p50_ms"),
                                  r.getAs("latency_p50_ms"),
                                  r.getAs("latency_p99_ms"),
                                  r.getAs("throughput_tok_s"),
                                  interval(r, "latency_p50"),
                                  interval(r, "latency_p99")))
                      .toList();
              List<Integer> range =
                  spots.stream()
                      .filter(s -> s.rule().equals("kneedle") && ids.contains(s.choice().pointId()))
                      .findFirst()
                      .map(s -> s.range().stream().map(Candidate::batchSize).toList())
                      .orElse(List.of());
              curves.add(
                  new BatchCurve(
                      label,
                      points,
                      spot(spots, ids, "notebook"),
                      spot(spots, ids, "kneedle"),
                      range));
            });
    return curves;
  }

  /** The 95% interval columns {@code <m>_ci_low_ms}, {@code <m>_ci_high_ms} of a row. */
  private static Interval interval(Row r, String metric) {
    return new Interval(r.getAs(metric + "_ci_low_ms"), r.getAs(metric + "_ci_high_ms"));
  }

  private static Integer spot(List<SweetSpot> spots, List<String> pointIds, String rule) {
    return spots.stream()
        .filter(s -> s.rule().equals(rule) && pointIds.contains(s.choice().pointId()))
        .map(s -> s.choice().batchSize())
        .findFirst()
        .orElse(null);
  }

  /** The ITL distribution of every point of every batch-size curve, by curve label. */
  private Map<String, List<ItlCdf>> itl(List<Row> batch) {
    Map<String, List<Row>> curves = byCurve(batch);
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

  /**
   * Length sweeps: per experiment and fixed axes; x is generated tokens, or prompt tokens when only
   * those vary.
   */
  static List<LengthCurve> lengthCurves(List<Row> rows) {
    Map<String, List<Row>> byExperiment = new LinkedHashMap<>();
    rows.forEach(
        r -> byExperiment.computeIfAbsent(r.getAs("experiment"), k -> new ArrayList<>()).add(r));
    List<LengthCurve> out = new ArrayList<>();
    for (Map.Entry<String, List<Row>> e : byExperiment.entrySet()) {
      boolean outputSwept =
          e.getValue().stream().map(r -> r.getAs("max_tokens")).distinct().count() > 1;
      Map<String, List<LengthPoint>> curves = new LinkedHashMap<>();
      for (Row r : e.getValue()) {
        if (r.isNullAt(r.fieldIndex("latency_p50_ms"))) {
          continue;
        }
        String label =
            e.getKey()
                + " (batch_size="
                + r.getAs("batch_size")
                + (outputSwept
                    ? ", prompt_tokens=" + r.getAs("prompt_tokens")
                    : ", max_tokens=" + r.getAs("max_tokens"))
                + ")";
        double x =
            outputSwept ? r.<Double>getAs("output_tokens_mean") : r.<Integer>getAs("prompt_tokens");
        curves
            .computeIfAbsent(label, k -> new ArrayList<>())
            .add(new LengthPoint(x, r.getAs("latency_p50_ms"), r.getAs("latency_p99_ms")));
      }
      String xLabel =
          outputSwept ? "generated tokens per request (mean)" : "prompt tokens (longest prompt)";
      curves.forEach(
          (label, points) ->
              out.add(
                  new LengthCurve(
                      label,
                      xLabel,
                      points.stream()
                          .sorted(java.util.Comparator.comparingDouble(LengthPoint::x))
                          .toList())));
    }
    return out;
  }

  /** Sampling sweeps: per experiment, batch size and max_tokens; one bar group per setting. */
  static List<SamplingCurve> samplingCurves(List<Row> rows) {
    Map<String, List<SamplingPoint>> curves = new LinkedHashMap<>();
    for (Row r : rows) {
      if (r.isNullAt(r.fieldIndex("latency_p50_ms"))) {
        continue;
      }
      String label =
          r.<String>getAs("experiment")
              + " (batch_size="
              + r.getAs("batch_size")
              + ", max_tokens="
              + r.getAs("max_tokens")
              + ")";
      String setting =
          "T="
              + Html.number(r.getAs("temperature"))
              + " top_p="
              + Html.number(r.getAs("top_p"))
              + (r.<Integer>getAs("top_k") > 0 ? " top_k=" + r.getAs("top_k") : "");
      curves
          .computeIfAbsent(label, k -> new ArrayList<>())
          .add(new SamplingPoint(setting, r.getAs("latency_p50_ms"), r.getAs("latency_p99_ms")));
    }
    List<SamplingCurve> out = new ArrayList<>();
    curves.forEach((label, points) -> out.add(new SamplingCurve(label, points)));
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
