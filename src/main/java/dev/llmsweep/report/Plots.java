package dev.llmsweep.report;

import static dev.llmsweep.report.Chart.DASHED;
import static dev.llmsweep.report.Chart.DOTTED;
import static dev.llmsweep.report.Chart.PALETTE;
import static dev.llmsweep.report.Chart.SOLID;

import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.BatchPoint;
import dev.llmsweep.report.PlotData.Interval;
import dev.llmsweep.report.PlotData.ItlCdf;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.LengthPoint;
import dev.llmsweep.report.PlotData.SamplingCurve;
import dev.llmsweep.report.PlotData.SamplingPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The report's kinds of plot, as {@link Chart}s of {@link PlotData} (driver side, no Spark). Every
 * plot has a title, axis titles with units and a legend; one unit per quantity (latencies in ms,
 * throughput in tok/s); axes that span orders of magnitude (batch sizes, ITL) are logarithmic and
 * say so. Drawn at the report's page width.
 */
public final class Plots {
  static final int WIDTH = 1060;
  static final int HEIGHT = 600;

  /** The notebook rule's sweet spot and the frontier's dots. */
  static final Color GREY = new Color(0x555555);

  private Plots() {}

  /** (1) TTFT and batch latency, p50 and p99, across batch sizes. */
  public static Plot latencyByBatch(String name, BatchCurve c) {
    Chart chart =
        Chart.xy(
                "TTFT and batch latency by batch size: " + experimentOf(c.label()),
                "batch size (requests, log scale)",
                "latency (ms, log scale)")
            .logX()
            .logY();
    double[] x = xs(c.points(), p -> p.batchSize());
    int n = 0;
    line(chart, "TTFT p50 (streaming)", x, ys(c.points(), BatchPoint::ttftP50Ms), SOLID, n++);
    line(chart, "TTFT p99 (streaming)", x, ys(c.points(), BatchPoint::ttftP99Ms), DASHED, n++);
    line(chart, "batch latency p50", x, ys(c.points(), BatchPoint::latencyP50Ms), SOLID, n++);
    line(chart, "batch latency p99", x, ys(c.points(), BatchPoint::latencyP99Ms), DASHED, n++);
    if (c.points().stream().allMatch(p -> p.proxyTtftP50Ms() != null)) {
      line(
          chart,
          "proxy TTFT p50 (max_tokens=1 call)",
          x,
          ys(c.points(), BatchPoint::proxyTtftP50Ms),
          DOTTED,
          n++);
    }
    return Plot.render(
        name,
        c.label()
            + ". Time to first token and wall time of one generate call for the whole"
            + " batch, median (solid) and p99 (dashed).",
        chart,
        n);
  }

  /**
   * (2) Normalised p50 latency and inverted normalised throughput across batch sizes, the sweet
   * spots marked. Needs at least two batch sizes with different latencies and throughputs.
   */
  public static Plot sweetSpot(String name, BatchCurve c) {
    List<BatchPoint> ps = c.points();
    double[] x = xs(ps, p -> p.batchSize());
    double[] lat = normalise(ys(ps, BatchPoint::latencyP50Ms));
    double[] thr = normalise(ys(ps, BatchPoint::throughput));
    double[] invThr = new double[thr.length];
    for (int i = 0; i < thr.length; i++) {
      invThr[i] = 1 - thr[i];
    }
    Chart chart =
        Chart.xy(
                "Sweet spot: " + experimentOf(c.label()),
                "batch size (requests, log scale)",
                "normalised to [0, 1] over the curve")
            .logX()
            .yRange(-0.05, 1.05);
    int n = 0;
    line(chart, "normalised p50 batch latency", x, lat, SOLID, n++);
    line(chart, "1 - normalised throughput", x, invThr, SOLID, n++);
    n += marker(chart, "sweet spot, notebook rule", c.notebookSweetSpot(), GREY, DASHED);
    n +=
        marker(chart, "sweet spot, Kneedle (recommended)", c.kneedleSweetSpot(), PALETTE[2], SOLID);
    String range = "";
    if (c.kneedleRange().size() > 1) {
      int lo = c.kneedleRange().stream().mapToInt(Integer::intValue).min().orElseThrow();
      int hi = c.kneedleRange().stream().mapToInt(Integer::intValue).max().orElseThrow();
      chart.band(
          "Kneedle's range within the 95% intervals: batch " + lo + "–" + hi,
          lo,
          hi,
          new Color(0x2c, 0xa0, 0x2c, 0x40));
      n++;
      range =
          " Shaded: from the smallest to the largest batch size the 95% intervals cannot tell from Kneedle's pick ("
              + String.join(", ", c.kneedleRange().stream().map(String::valueOf).toList())
              + ").";
    }
    return Plot.render(
        name,
        c.label()
            + ". Where more batching stops paying: the notebook's rule picks the batch size where"
            + " the two curves meet; Kneedle the one of largest normalised throughput minus normalised latency."
            + range,
        chart,
        n);
  }

  /** (3) p50 and p99 batch latency against generated (or prompt) length. */
  public static Plot latencyByLength(String name, LengthCurve c) {
    Chart chart =
        Chart.xy(
            "Batch latency by length: " + experimentOf(c.label()),
            c.xLabel(),
            "batch latency (ms)");
    double[] x = xs(c.points(), LengthPoint::x);
    line(chart, "p50", x, ys(c.points(), LengthPoint::latencyP50Ms), SOLID, 0);
    line(chart, "p99", x, ys(c.points(), LengthPoint::latencyP99Ms), DASHED, 1);
    return Plot.render(
        name,
        c.label() + ". Wall time of one generate call, p50 and p99, as the sequence grows.",
        chart,
        2);
  }

  /** (4) p50 and p99 batch latency across sampling settings (bars). */
  public static Plot latencyBySampling(String name, SamplingCurve c) {
    List<String> labels = c.points().stream().map(SamplingPoint::setting).toList();
    Chart chart =
        Chart.bars(
                "Batch latency by sampling parameters: " + experimentOf(c.label()),
                "sampling setting (T = temperature)",
                "batch latency (ms)",
                labels)
            .bar("p50", ys(c.points(), SamplingPoint::latencyP50Ms), PALETTE[0])
            .bar("p99", ys(c.points(), SamplingPoint::latencyP99Ms), PALETTE[1]);
    return Plot.render(
        name,
        c.label() + ". Wall time of one generate call for each sampling setting, p50 and p99.",
        chart,
        2,
        "; categories: " + String.join(", ", labels));
  }

  /** (5) Output throughput against batch size. */
  public static Plot throughputByBatch(String name, BatchCurve c) {
    Chart chart =
        Chart.xy(
                "Throughput by batch size: " + experimentOf(c.label()),
                "batch size (requests, log scale)",
                "output throughput (tok/s)")
            .logX();
    line(
        chart,
        "output throughput",
        xs(c.points(), p -> p.batchSize()),
        ys(c.points(), BatchPoint::throughput),
        SOLID,
        2);
    return Plot.render(
        name,
        c.label()
            + ". Generated tokens per second of wall time (all requests of a call,"
            + " summed over the measured calls), per batch size.",
        chart,
        1);
  }

  /**
   * (6) Batch latency against throughput, p50 and p99, each point labelled by its batch size and
   * drawn with its 95% interval (clustered by call) as an error bar.
   */
  public static Plot latencyVsThroughput(String name, BatchCurve c) {
    Chart chart =
        Chart.xy(
            "Latency against throughput: " + experimentOf(c.label()),
            "output throughput (tok/s)",
            "batch latency (ms)");
    double[] x = xs(c.points(), BatchPoint::throughput);
    line(chart, "p50 batch latency", x, ys(c.points(), BatchPoint::latencyP50Ms), SOLID, 0);
    line(chart, "p99 batch latency", x, ys(c.points(), BatchPoint::latencyP99Ms), DASHED, 1);
    boolean bars = false;
    for (BatchPoint p : c.points()) {
      bars |= errorBar(chart, p.throughput(), p.latencyP50Ms(), p.p50Ci(), 0);
      bars |= errorBar(chart, p.throughput(), p.latencyP99Ms(), p.p99Ci(), 1);
      double above =
          p.p99Ci() != null && p.p99Ci().highMs() != null
              ? Math.max(p.p99Ci().highMs(), p.latencyP99Ms())
              : p.latencyP99Ms();
      chart.label(batchLabel(p.batchSize()), p.throughput(), above);
    }
    return Plot.render(
        name,
        c.label()
            + ". Each point is one batch size (labelled bs=N above its p99): further"
            + " right is more throughput, higher is slower. "
            + (bars
                ? "Vertical bars: 95% intervals of p50 and p99"
                    + " (clustered by generate call; a bar without an end is unbounded)."
                : "No interval is bounded (too few" + " calls)."),
        chart,
        2,
        "; batch sizes: "
            + String.join(", ", c.points().stream().map(p -> batchLabel(p.batchSize())).toList()));
  }

  /** The label of a point on the latency-throughput plot. */
  static String batchLabel(int batchSize) {
    return "bs=" + batchSize;
  }

  /**
   * A vertical error bar from the interval's low to high bound (the value where one is unbounded);
   * false if none.
   */
  private static boolean errorBar(Chart chart, double x, double y, Interval ci, int color) {
    if (ci == null || (ci.lowMs() == null && ci.highMs() == null)) {
      return false;
    }
    double low = ci.lowMs() == null ? y : ci.lowMs();
    double high = ci.highMs() == null ? y : ci.highMs();
    chart.errorBar(x, low, high, PALETTE[color % PALETTE.length]);
    return true;
  }

  /** (7) The distribution (CDF) of inter-token latency, one line per batch size. */
  public static Plot itlCdf(String name, String label, List<ItlCdf> cdfs) {
    Chart chart =
        Chart.xy(
                "Inter-token latency distribution: " + experimentOf(label),
                "inter-token latency (ms, log scale)",
                "fraction of gaps at or below")
            .logX()
            .yRange(0, 1);
    int n = 0;
    for (ItlCdf c : cdfs) {
      double[] x = c.itlMs().clone();
      for (int i = 0; i < x.length; i++) {
        x[i] = Math.max(x[i], 1e-3); // a log axis cannot show 0: clamp to 1 us
      }
      chart.plainLine(
          "batch size " + c.batchSize(), x, c.fraction(), PALETTE[n % PALETTE.length], SOLID);
      n++;
    }
    return Plot.render(
        name,
        label
            + ". Every gap between consecutive tokens of every measured request, pooled per batch"
            + " size; a line further right is slower, a long flat tail means stalls.",
        chart,
        n);
  }

  /** Min-max normalisation to [0, 1] (all zeros when every value is the same), as the views do. */
  static double[] normalise(double[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = max > min ? (v[i] - min) / (max - min) : 0;
    }
    return out;
  }

  static void line(
      Chart chart, String name, double[] x, double[] y, BasicStroke stroke, int color) {
    chart.line(name, x, y, PALETTE[color % PALETTE.length], stroke);
  }

  /**
   * Marks {@code batch} with a vertical line across the plot; returns the series added (0 or 1).
   */
  private static int marker(
      Chart chart, String name, Integer batch, Color color, BasicStroke stroke) {
    if (batch == null) {
      return 0;
    }
    chart.plainLine(
        name + ": batch " + batch, new double[] {batch, batch}, new double[] {0, 1}, color, stroke);
    return 1;
  }

  /** The experiment of a curve label ({@code experiment (axes)}), for a title that fits. */
  static String experimentOf(String label) {
    int paren = label.indexOf(" (");
    return paren < 0 ? label : label.substring(0, paren);
  }

  private static <T> double[] xs(List<T> points, ToDoubleFunction<T> f) {
    return points.stream().mapToDouble(f).toArray();
  }

  private static <T> double[] ys(List<T> points, ToDoubleFunction<T> f) {
    return points.stream().mapToDouble(f).toArray();
  }
}
