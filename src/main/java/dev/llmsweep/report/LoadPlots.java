package dev.llmsweep.report;

import static dev.llmsweep.report.Chart.DASHED;
import static dev.llmsweep.report.Chart.DOTTED;
import static dev.llmsweep.report.Chart.SOLID;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * The open-loop plots (driver side, no Spark): latency against the offered request rate, and
 * achieved rate and goodput against it, one curve of the {@code load_sweep} view each. Styled as
 * {@link Plots}' plots.
 */
public final class LoadPlots {
  private static final Color[] PALETTE = Chart.PALETTE;

  /**
   * One request rate of an open-loop curve.
   *
   * @param rate offered requests per second
   * @param achieved requests per second over the measured wall time
   * @param goodput requests per second that succeeded within the SLOs
   * @param errorRate fraction of requests that failed
   */
  public record LoadPoint(
      double rate,
      double achieved,
      double goodput,
      double errorRate,
      double ttftP50Ms,
      double ttftP99Ms,
      double tpotP50Ms,
      double tpotP99Ms) {}

  /** The points of one experiment, by rate; its SLOs (0: none). */
  public record LoadCurve(
      String label, List<LoadPoint> points, double sloTtftMs, double sloTpotMs) {}

  private LoadPlots() {}

  /** TTFT and TPOT, p50 and p99, against the offered rate, with the SLOs drawn. */
  public static Plot latencyByRate(String name, LoadCurve c) {
    Chart chart =
        Chart.xy(
                "Latency by request rate: " + c.label(),
                "offered request rate (requests/s)",
                "latency (ms, log scale)")
            .logY();
    double[] x = c.points().stream().mapToDouble(LoadPoint::rate).toArray();
    int n = 0;
    n +=
        logLine(
            chart,
            "TTFT p50",
            x,
            c.points().stream().mapToDouble(LoadPoint::ttftP50Ms).toArray(),
            SOLID,
            0);
    n +=
        logLine(
            chart,
            "TTFT p99",
            x,
            c.points().stream().mapToDouble(LoadPoint::ttftP99Ms).toArray(),
            DASHED,
            0);
    n +=
        logLine(
            chart,
            "TPOT p50",
            x,
            c.points().stream().mapToDouble(LoadPoint::tpotP50Ms).toArray(),
            SOLID,
            1);
    n +=
        logLine(
            chart,
            "TPOT p99",
            x,
            c.points().stream().mapToDouble(LoadPoint::tpotP99Ms).toArray(),
            DASHED,
            1);
    double lo = x.length == 0 ? 0 : x[0];
    double hi = x.length == 0 ? 1 : x[x.length - 1];
    if (c.sloTtftMs() > 0) {
      n += level(chart, "TTFT SLO " + Html.number(c.sloTtftMs()) + " ms", lo, hi, c.sloTtftMs(), 0);
    }
    if (c.sloTpotMs() > 0) {
      n += level(chart, "TPOT SLO " + Html.number(c.sloTpotMs()) + " ms", lo, hi, c.sloTpotMs(), 1);
    }
    return Plot.render(
        name,
        c.label()
            + ". Each request timed from its scheduled arrival, so queueing shows in"
            + " TTFT; failed requests left out. Median (solid) and p99 (dashed); SLOs dotted. A log axis cannot show 0:"
            + " values below 1 us (tokens that arrived in one read) are drawn at 1 us; rates without a figure are left out.",
        chart,
        n);
  }

  /**
   * Achieved request rate and goodput against the offered rate; the offered rate as the diagonal.
   */
  public static Plot goodputByRate(String name, LoadCurve c) {
    Chart chart =
        Chart.xy(
            "Goodput by request rate: " + c.label(),
            "offered request rate (requests/s)",
            "requests/s");
    double[] x = c.points().stream().mapToDouble(LoadPoint::rate).toArray();
    int n = 0;
    n += line(chart, "offered", x, x, DOTTED, 5);
    n +=
        line(
            chart,
            "achieved (completed requests / measured wall time)",
            x,
            c.points().stream().mapToDouble(LoadPoint::achieved).toArray(),
            SOLID,
            0);
    String slo =
        c.sloTtftMs() > 0 || c.sloTpotMs() > 0
            ? " within TTFT <= "
                + Html.number(c.sloTtftMs())
                + " ms and TPOT <= "
                + Html.number(c.sloTpotMs())
                + " ms (0: none)"
            : " (no SLO set: every success counts)";
    n +=
        line(
            chart,
            "goodput: successes" + slo,
            x,
            c.points().stream().mapToDouble(LoadPoint::goodput).toArray(),
            SOLID,
            2);
    return Plot.render(
        name,
        c.label()
            + ". Where goodput falls away from the offered rate, the server no longer"
            + " keeps up within the SLOs.",
        chart,
        n);
  }

  private static int line(
      Chart chart, String name, double[] x, double[] y, BasicStroke stroke, int color) {
    chart.line(name, x, y, PALETTE[color], stroke);
    return 1;
  }

  /**
   * A line on a log axis: points without a figure (NaN) left out, values below 1 us drawn at 1 us.
   */
  private static int logLine(
      Chart chart, String name, double[] x, double[] y, BasicStroke stroke, int color) {
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(y[i])) {
        kept.add(new double[] {x[i], Math.max(y[i], 1e-3)});
      }
    }
    if (kept.isEmpty()) {
      return 0;
    }
    return line(
        chart,
        name,
        kept.stream().mapToDouble(p -> p[0]).toArray(),
        kept.stream().mapToDouble(p -> p[1]).toArray(),
        stroke,
        color);
  }

  private static int level(Chart chart, String name, double lo, double hi, double y, int color) {
    chart.plainLine(name, new double[] {lo, hi}, new double[] {y, y}, PALETTE[color], DOTTED);
    return 1;
  }
}
