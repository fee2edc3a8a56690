package dev.llmsweep.report;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trend plot of {@code submit history} (driver side): one plot per experiment, a figure of each
 * of its points over the job's last runs (x: the run's place, oldest first), with the runs where
 * compare found the point slower, faster or explained by the machine marked on the curve: its
 * change points.
 */
public final class TrendPlots {
  private TrendPlots() {}

  /**
   * One experiment's plot.
   *
   * @param experiment the experiment
   * @param metric the figure's column, e.g. {@code e2e_p50_ms}
   * @param runs the runs, oldest first (x = 1, 2, ...)
   * @param values per point, its figure in each run (NaN: not in that run)
   * @param verdicts per point, its verdict in each run's latest comparison (null: none)
   */
  public static Plot trend(
      String experiment,
      String metric,
      List<String> runs,
      Map<String, double[]> values,
      Map<String, String[]> verdicts) {
    Chart chart =
        Chart.xy(
            experiment + ": " + metric + " over the last " + runs.size() + " runs",
            "run (oldest first)",
            metric);
    int color = 0;
    List<double[]> slower = new ArrayList<>();
    List<double[]> faster = new ArrayList<>();
    List<double[]> environment = new ArrayList<>();
    for (var e : values.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      String[] v = verdicts.get(e.getKey());
      for (int i = 0; i < e.getValue().length; i++) {
        double value = e.getValue()[i];
        if (Double.isNaN(value)) {
          continue;
        }
        x.add(i + 1.0);
        y.add(value);
        String verdict = v == null ? null : v[i];
        double[] at = {i + 1.0, value};
        if ("slower".equals(verdict)) {
          slower.add(at);
        } else if ("faster".equals(verdict)) {
          faster.add(at);
        } else if ("environment".equals(verdict)) {
          environment.add(at);
        }
      }
      if (!x.isEmpty()) {
        Plots.line(
            chart,
            e.getKey(),
            x.stream().mapToDouble(Double::doubleValue).toArray(),
            y.stream().mapToDouble(Double::doubleValue).toArray(),
            new BasicStroke(1.5f),
            color++);
      }
    }
    int series = color;
    marks(chart, "slower", slower);
    marks(chart, "faster", faster);
    marks(chart, "environment", environment);
    String caption =
        "Each line is one point of experiment "
            + experiment
            + "; runs in order of their start: "
            + String.join(", ", runs)
            + ". Marked: the runs whose comparison found the point slower, faster, or changed only as"
            + " much as the machine's probes (environment), each labelled with that verdict.";
    return Plot.render(
        "history-" + experiment.replaceAll("[^A-Za-z0-9_.-]", "_"), caption, chart, series);
  }

  /** Labels each change point on its curve with its verdict (a label, not a legend entry). */
  private static void marks(Chart chart, String verdict, List<double[]> at) {
    for (double[] a : at) {
      chart.label(verdict, a[0], a[1]);
    }
  }
}
