package dev.llmsweep.report;

import dev.llmsweep.analysis.SmallData;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.SamplingCurve;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the report of a run (driver side): loads the run's views, reads the report, draws the
 * plots into {@code ROOT/<run>/plots/} (PNG and SVG) and writes the HTML page. Used by {@code
 * ./submit report} and by the sweep job at the end of every run.
 */
public final class Reports {
  /** The notebook's latency budget, seconds. */
  public static final double DEFAULT_BUDGET_S = 2.5;

  /** Most curves drawn per kind of plot; the tables hold every point. */
  static final int MAX_CURVES = 6;

  private Reports() {}

  /** Where the report of a run goes by default: {@code ROOT/<run>/report.html}. */
  public static String defaultPath(Run run) {
    return RunLayout.report(run.dir()).toString();
  }

  /**
   * Writes the report of {@code run} (aggregated, with committed points) to {@code out} and its
   * plots to {@code ROOT/<run>/plots/}; returns the report's qualified path.
   */
  public static String write(SparkSession spark, Run run, double budgetS, String out) {
    SmallData.forRuns(spark, List.of(run));
    Views.load(spark, run.store().uri(), run.id(), Set.of());
    // the report's dozen queries then plan against rows in memory, not the views' SQL
    Views.materialiseSmall(spark);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Report report = new ReportQueries(spark, run).read(budgetS);
    List<Plot> plots = plots(report);
    try {
      Path dir = RunLayout.plots(run.dir());
      for (Plot p : plots) {
        put(new Path(dir, p.name() + ".png"), p.png(), conf);
        put(new Path(dir, p.name() + ".svg"), p.svg(), conf);
      }
      Path target = new Path(out);
      put(target, HtmlReport.render(report, plots).getBytes(StandardCharsets.UTF_8), conf);
      return target.getFileSystem(conf).makeQualified(target).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report to " + out + ": " + e.getMessage(), e);
    }
  }

  /** The plots of a report: experiments the run does not contain are left out. */
  public static List<Plot> plots(Report r) {
    List<Plot> out = new ArrayList<>();
    List<BatchCurve> curves = r.batchCurves().stream().limit(MAX_CURVES).toList();
    for (int i = 0; i < curves.size(); i++) {
      out.add(Plots.latencyByBatch("latency-by-batch-" + (i + 1), curves.get(i)));
    }
    for (int i = 0; i < curves.size(); i++) {
      out.add(Plots.throughputByBatch("throughput-by-batch-" + (i + 1), curves.get(i)));
    }
    for (int i = 0; i < curves.size(); i++) {
      out.add(Plots.latencyVsThroughput("latency-vs-throughput-" + (i + 1), curves.get(i)));
    }
    for (int i = 0; i < curves.size(); i++) {
      BatchCurve c = curves.get(i);
      if (c.notebookSweetSpot() != null || c.kneedleSweetSpot() != null) {
        out.add(Plots.sweetSpot("sweet-spot-" + (i + 1), c));
      }
    }
    List<LengthCurve> lengths = r.lengthCurves().stream().limit(MAX_CURVES).toList();
    for (int i = 0; i < lengths.size(); i++) {
      out.add(Plots.latencyByLength("latency-by-length-" + (i + 1), lengths.get(i)));
    }
    List<SamplingCurve> sampling = r.samplingCurves().stream().limit(MAX_CURVES).toList();
    for (int i = 0; i < sampling.size(); i++) {
      out.add(Plots.latencyBySampling("latency-by-sampling-" + (i + 1), sampling.get(i)));
    }
    List<LoadPlots.LoadCurve> loads = r.loadCurves().stream().limit(MAX_CURVES).toList();
    for (int i = 0; i < loads.size(); i++) {
      out.add(LoadPlots.latencyByRate("latency-by-rate-" + (i + 1), loads.get(i)));
      out.add(LoadPlots.goodputByRate("goodput-by-rate-" + (i + 1), loads.get(i)));
    }
    int n = 0;
    for (Map.Entry<String, List<PlotData.ItlCdf>> e : r.itl().entrySet()) {
      if (n++ < MAX_CURVES) {
        out.add(Plots.itlCdf("itl-cdf-" + n, e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  private static void put(Path target, byte[] bytes, Configuration conf) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRawFileSystem(); // no .crc files beside a report people open and mail around
    }
    if (target.getParent() != null) {
      fs.mkdirs(target.getParent());
    }
    try (OutputStream o = fs.create(target, true)) {
      o.write(bytes);
    }
  }
}
