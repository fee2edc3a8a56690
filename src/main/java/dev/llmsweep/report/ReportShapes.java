package dev.llmsweep.report;

import dev.llmsweep.analysis.Candidate;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.BatchPoint;
import dev.llmsweep.report.PlotData.Interval;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.LengthPoint;
import dev.llmsweep.report.PlotData.SamplingCurve;
import dev.llmsweep.report.PlotData.SamplingPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Row;

/**
 * The report's shaping, no SQL: the rows {@link ReportQueries} read become its tables (constant
 * columns moved to the caption) and the curves of its plots (batch, length, sampling and load
 * sweeps).
 */
final class ReportShapes {
  private ReportShapes() {}

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
          rows.size() > 1 && rows.stream().allMatch(r -> Objects.equals(r.getAs(c), first));
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
  static Map<String, List<Row>> byCurve(List<Row> rows) {
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
                          .sorted(Comparator.comparingDouble(LengthPoint::x))
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
}
