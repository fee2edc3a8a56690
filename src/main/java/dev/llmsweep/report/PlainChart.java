package dev.llmsweep.report;

import dev.llmsweep.report.Canvas.Align;
import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.markers.Marker;

/**
 * Draws an XChart chart's content (title, axes with their titles and scales, series, legend below)
 * on a {@link Canvas}, without the JDK's font manager (driver side). XChart measures and draws
 * every label through Java2D's fonts, whose native library cannot load on machines without
 * HarfBuzz and FreeType; {@link Plot} uses this layout there. Supports what {@link Plots} uses:
 * line and scatter XY series (linear or logarithmic axes, fixed axis ranges, dashes, dot markers)
 * and grouped bars.
 */
final class PlainChart {
  private static final Color INK = new Color(0x222222);
  private static final Color GRID = new Color(0xdddddd);
  private static final double TITLE = 14;
  private static final double AXIS_TITLE = 13;
  private static final double TICK = 11;
  private static final double LEGEND = 12;
  private static final double LEGEND_ROW = 17;

  private PlainChart() {}

  static void draw(Chart<?, ?> chart, Canvas c) {
    int w = chart.getWidth();
    int h = chart.getHeight();
    AxesChartStyler s = (AxesChartStyler) chart.getStyler();
    c.text(chart.getTitle(), w / 2.0, 22, TITLE, true, INK, Align.MIDDLE, 0);
    List<Entry> legend = new ArrayList<>();
    boolean bars = chart instanceof CategoryChart;
    int rotation = bars ? s.getXAxisLabelRotation() : 0;
    double bottom = h - 14 - legendRows(chart) * LEGEND_ROW - 30 - (rotation > 0 ? 60 : 18);
    Box box = new Box(74, 38, w - 74 - 24, bottom - 38);
    if (bars) {
      bars((CategoryChart) chart, s, c, box, rotation, legend);
    } else {
      xy((XYChart) chart, s, c, box, legend);
    }
    c.box(box.x, box.y, box.w, box.h, null, INK);
    c.text(chart.getXAxisTitle(), box.x + box.w / 2, bottom + (rotation > 0 ? 76 : 36), AXIS_TITLE, false, INK,
        Align.MIDDLE, 0);
    c.text(chart.getYAxisTitle(), 18, box.y + box.h / 2, AXIS_TITLE, false, INK, Align.MIDDLE, 90);
    double y = h - 10 - (legend.size() - 1) * LEGEND_ROW;
    double x0 = Math.max(10, box.x);
    for (Entry e : legend) {
      if (e.bar) {
        c.box(x0, y - 9, 18, 10, e.color, null);
      } else {
        if (e.stroke != null) {
          c.polyline(new double[] {x0, x0 + 24}, new double[] {y - 4, y - 4}, e.color, e.stroke);
        }
        if (e.marker) {
          c.dot(x0 + 12, y - 4, 3.5, e.color);
        }
      }
      c.text(e.name, x0 + 32, y, LEGEND, false, INK, Align.START, 0);
      y += LEGEND_ROW;
    }
  }

  private static int legendRows(Chart<?, ?> chart) {
    return chart.getSeriesMap().size();
  }

  private static void xy(XYChart chart, AxesChartStyler s, Canvas c, Box box, List<Entry> legend) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (XYSeries series : chart.getSeriesMap().values()) {
      for (double v : series.getXData()) {
        xMin = Math.min(xMin, v);
        xMax = Math.max(xMax, v);
      }
      for (double v : series.getYData()) {
        yMin = Math.min(yMin, v);
        yMax = Math.max(yMax, v);
      }
    }
    Scale x = Scale.of(s.isXAxisLogarithmic(), or(s.getXAxisMin(), xMin), or(s.getXAxisMax(), xMax),
        box.x, box.x + box.w);
    Scale y = Scale.of(s.isYAxisLogarithmic(), or(s.getYAxisMin(), yMin), or(s.getYAxisMax(), yMax),
        box.y + box.h, box.y);
    DecimalFormat xf = format(s.getXAxisDecimalPattern());
    DecimalFormat yf = format(s.getYAxisDecimalPattern());
    for (double t : x.ticks()) {
      double px = x.px(t);
      c.polyline(new double[] {px, px}, new double[] {box.y, box.y + box.h}, GRID, new BasicStroke(1));
      c.text(xf.format(t), px, box.y + box.h + 16, TICK, false, INK, Align.MIDDLE, 0);
    }
    for (double t : y.ticks()) {
      double py = y.px(t);
      c.polyline(new double[] {box.x, box.x + box.w}, new double[] {py, py}, GRID, new BasicStroke(1));
      c.text(yf.format(t), box.x - 6, py + 4, TICK, false, INK, Align.END, 0);
    }
    int i = 0;
    for (XYSeries series : chart.getSeriesMap().values()) {
      Color palette = s.getSeriesColors()[i++ % s.getSeriesColors().length];
      Color line = series.getLineColor() != null ? series.getLineColor() : palette;
      Color dots = series.getMarkerColor() != null ? series.getMarkerColor() : line;
      double[] xs = series.getXData();
      double[] ys = series.getYData();
      double[] px = new double[xs.length];
      double[] py = new double[ys.length];
      for (int k = 0; k < xs.length; k++) {
        px[k] = x.px(xs[k]);
        py[k] = y.px(ys[k]);
      }
      boolean scatter = series.getXYSeriesRenderStyle() == XYSeriesRenderStyle.Scatter;
      BasicStroke stroke = scatter ? null : series.getLineStyle() != null ? series.getLineStyle() : new BasicStroke(2);
      if (stroke != null && xs.length > 1) {
        c.polyline(px, py, line, stroke);
      }
      Marker m = series.getMarker();
      boolean marker = scatter || (m != null && !m.getClass().getSimpleName().equals("None"));
      if (marker) {
        for (int k = 0; k < px.length; k++) {
          c.dot(px[k], py[k], 3.5, scatter ? dots : line);
        }
      }
      legend.add(new Entry(series.getName(), scatter ? dots : line, stroke, marker, false));
    }
  }

  private static void bars(CategoryChart chart, AxesChartStyler s, Canvas c, Box box, int rotation,
      List<Entry> legend) {
    List<CategorySeries> series = new ArrayList<>(chart.getSeriesMap().values());
    List<?> categories = new ArrayList<>(series.get(0).getXData());
    double max = 0;
    for (CategorySeries cs : series) {
      for (Number v : cs.getYData()) {
        max = Math.max(max, v.doubleValue());
      }
    }
    Scale y = Scale.of(false, 0, or(s.getYAxisMax(), max), box.y + box.h, box.y);
    DecimalFormat yf = format(s.getYAxisDecimalPattern());
    for (double t : y.ticks()) {
      double py = y.px(t);
      c.polyline(new double[] {box.x, box.x + box.w}, new double[] {py, py}, GRID, new BasicStroke(1));
      c.text(yf.format(t), box.x - 6, py + 4, TICK, false, INK, Align.END, 0);
    }
    double slot = box.w / categories.size();
    double bar = slot * 0.8 / series.size();
    for (int k = 0; k < categories.size(); k++) {
      double left = box.x + k * slot + slot * 0.1;
      String label = String.valueOf(categories.get(k));
      if (rotation > 0) {
        c.text(label, left + slot * 0.4, box.y + box.h + 14, TICK, false, INK, Align.END, rotation);
      } else {
        c.text(label, left + slot * 0.4, box.y + box.h + 16, TICK, false, INK, Align.MIDDLE, 0);
      }
    }
    int i = 0;
    for (CategorySeries cs : series) {
      Color fill = cs.getFillColor() != null ? cs.getFillColor() : s.getSeriesColors()[i % s.getSeriesColors().length];
      List<? extends Number> ys = new ArrayList<>(cs.getYData());
      for (int k = 0; k < ys.size(); k++) {
        double top = y.px(ys.get(k).doubleValue());
        c.box(box.x + k * slot + slot * 0.1 + i * bar, top, bar, box.y + box.h - top, fill, null);
      }
      legend.add(new Entry(cs.getName(), fill, null, false, true));
      i++;
    }
  }

  private static double or(Double fixed, double data) {
    return fixed != null ? fixed : data;
  }

  private static DecimalFormat format(String pattern) {
    return new DecimalFormat(pattern != null ? pattern : "#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));
  }

  private record Box(double x, double y, double w, double h) {}

  private record Entry(String name, Color color, BasicStroke stroke, boolean marker, boolean bar) {}

  /** A linear or logarithmic axis mapping data to pixels, with round tick values. */
  private record Scale(boolean log, double min, double max, double from, double to) {
    static Scale of(boolean log, double min, double max, double from, double to) {
      if (log) {
        min = Math.max(min, Double.MIN_NORMAL);
        max = Math.max(max, min);
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        return new Scale(true, lo, hi > lo ? hi : lo * 10, from, to);
      }
      if (!(max > min)) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
      double pad = (max - min) * 0.04;
      return new Scale(false, min - pad, max + pad, from, to);
    }

    double px(double v) {
      double f = log ? (Math.log10(Math.max(v, Double.MIN_NORMAL)) - Math.log10(min)) / (Math.log10(max)
          - Math.log10(min)) : (v - min) / (max - min);
      return from + f * (to - from);
    }

    List<Double> ticks() {
      List<Double> out = new ArrayList<>();
      if (log) {
        int decades = (int) Math.round(Math.log10(max / min));
        for (double d = min; d <= max * 1.0001; d *= 10) {
          out.add(d);
          if (decades <= 2) {
            for (int m : new int[] {2, 5}) {
              if (d * m <= max) {
                out.add(d * m);
              }
            }
          }
        }
        return out;
      }
      double raw = (max - min) / 6;
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
      for (double t = Math.ceil(min / step) * step; t <= max + 1e-9 * step; t += step) {
        out.add(Math.abs(t) < 1e-9 * step ? 0 : t);
      }
      return out;
    }
  }
}
