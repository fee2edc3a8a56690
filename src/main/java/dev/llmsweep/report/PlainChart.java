package dev.llmsweep.report;

import dev.llmsweep.report.Canvas.Align;
import dev.llmsweep.report.Chart.Bars;
import dev.llmsweep.report.Chart.Label;
import dev.llmsweep.report.Chart.Line;
import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays a {@link Chart} out on a {@link Canvas} (driver side): the title, the plot box with its
 * grid, ticks and axis titles, the series, the point labels, and the legend below. Text is placed
 * with the bundled font's metrics ({@link OutlineFont}), never the JDK's font manager, so a plot
 * comes out the same on every JVM, with or without the system's font libraries.
 */
final class PlainChart {
  private static final Color INK = new Color(0x222222);
  private static final Color GRID = new Color(0xdddddd);
  private static final BasicStroke HAIRLINE = new BasicStroke(1);
  private static final double TITLE = 14;
  private static final double AXIS_TITLE = 13;
  private static final double TICK = 11;
  private static final double LEGEND = 12;
  private static final double LEGEND_ROW = 17;
  private static final double DOT = 3.5;

  /** Pixels between a labelled point and its label's baseline. */
  private static final double LABEL_LIFT = 8;

  private static final DecimalFormat NUMBER =
      new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));

  private PlainChart() {}

  static void draw(Chart chart, Canvas c, int w, int h) {
    c.text(chart.title, w / 2.0, 22, TITLE, true, INK, Align.MIDDLE, 0);
    int rotation = chart.isBars() && chart.categories.size() > 8 ? 45 : 0;
    List<String> legend = chart.legend();
    double bottom = h - 14 - legend.size() * LEGEND_ROW - 30 - (rotation > 0 ? 60 : 18);
    Box box = new Box(74, 38, w - 74 - 24, bottom - 38);
    if (chart.isBars()) {
      bars(chart, c, box, rotation);
    } else {
      lines(chart, c, box);
    }
    c.box(box.x, box.y, box.w, box.h, null, INK);
    c.text(
        chart.xTitle,
        box.x + box.w / 2,
        bottom + (rotation > 0 ? 76 : 36),
        AXIS_TITLE,
        false,
        INK,
        Align.MIDDLE,
        0);
    c.text(chart.yTitle, 18, box.y + box.h / 2, AXIS_TITLE, false, INK, Align.MIDDLE, 90);
    legend(chart, c, h - 10 - (legend.size() - 1) * LEGEND_ROW, box.x);
  }

  private static void legend(Chart chart, Canvas c, double y, double x) {
    if (chart.isBars()) {
      for (Bars b : chart.bars) {
        c.box(x, y - 9, 18, 10, b.color(), null);
        c.text(b.name(), x + 32, y, LEGEND, false, INK, Align.START, 0);
        y += LEGEND_ROW;
      }
      return;
    }
    for (Line l : chart.lines) {
      if (l.name() == null) {
        continue; // error bars belong to their series' entry
      }
      c.polyline(new double[] {x, x + 24}, new double[] {y - 4, y - 4}, l.color(), l.stroke());
      if (l.dots()) {
        c.dot(x + 12, y - 4, DOT, l.color());
      }
      c.text(l.name(), x + 32, y, LEGEND, false, INK, Align.START, 0);
      y += LEGEND_ROW;
    }
    for (Chart.Band b : chart.bands) {
      c.box(x, y - 9, 24, 10, b.color(), null);
      c.text(b.name(), x + 32, y, LEGEND, false, INK, Align.START, 0);
      y += LEGEND_ROW;
    }
  }

  private static void lines(Chart chart, Canvas c, Box box) {
    Range xr = new Range();
    Range yr = new Range();
    for (Line l : chart.lines) {
      xr.add(l.x());
      yr.add(l.y());
    }
    for (Label l : chart.labels) {
      xr.add(l.x());
      yr.add(l.y());
    }
    for (Chart.Band b : chart.bands) {
      xr.add(new double[] {b.x0(), b.x1()});
    }
    // room above the highest point for its label
    double headroom = chart.labels.isEmpty() ? 0.04 : 0.10;
    Scale x = Scale.of(chart.xLog, xr.min, xr.max, null, null, 0.04, box.x, box.x + box.w);
    Scale y =
        Scale.of(
            chart.yLog, yr.min, yr.max, chart.yMin, chart.yMax, headroom, box.y + box.h, box.y);
    for (double t : x.ticks()) {
      double px = x.px(t);
      c.polyline(new double[] {px, px}, new double[] {box.y, box.y + box.h}, GRID, HAIRLINE);
      c.text(NUMBER.format(t), px, box.y + box.h + 16, TICK, false, INK, Align.MIDDLE, 0);
    }
    yTicks(c, box, y);
    for (Chart.Band b : chart.bands) {
      double x0 = x.px(b.x0());
      c.box(x0, box.y, x.px(b.x1()) - x0, box.h, b.color(), null);
    }
    for (Line l : chart.lines) {
      double[] px = new double[l.x().length];
      double[] py = new double[l.y().length];
      for (int k = 0; k < px.length; k++) {
        px[k] = x.px(l.x()[k]);
        py[k] = y.px(l.y()[k]);
      }
      if (px.length > 1) {
        c.polyline(px, py, l.color(), l.stroke());
      }
      if (l.dots()) {
        for (int k = 0; k < px.length; k++) {
          c.dot(px[k], py[k], DOT, l.color());
        }
      }
    }
    for (Label l : chart.labels) {
      c.label(l.text(), x.px(l.x()), y.px(l.y()) - LABEL_LIFT, TICK, INK);
    }
  }

  private static void bars(Chart chart, Canvas c, Box box, int rotation) {
    Range yr = new Range();
    yr.add(new double[] {0});
    chart.bars.forEach(b -> yr.add(b.values()));
    Scale y = Scale.of(false, 0, yr.max, 0.0, chart.yMax, 0.04, box.y + box.h, box.y);
    yTicks(c, box, y);
    List<String> categories = chart.categories;
    double slot = box.w / categories.size();
    double bar = slot * 0.8 / chart.bars.size();
    for (int k = 0; k < categories.size(); k++) {
      double middle = box.x + k * slot + slot * 0.5;
      if (rotation > 0) {
        c.text(
            categories.get(k), middle, box.y + box.h + 14, TICK, false, INK, Align.END, rotation);
      } else {
        c.text(categories.get(k), middle, box.y + box.h + 16, TICK, false, INK, Align.MIDDLE, 0);
      }
    }
    for (int i = 0; i < chart.bars.size(); i++) {
      Bars b = chart.bars.get(i);
      for (int k = 0; k < b.values().length; k++) {
        double top = y.px(b.values()[k]);
        c.box(
            box.x + k * slot + slot * 0.1 + i * bar,
            top,
            bar,
            box.y + box.h - top,
            b.color(),
            null);
      }
    }
  }

  private static void yTicks(Canvas c, Box box, Scale y) {
    for (double t : y.ticks()) {
      double py = y.px(t);
      c.polyline(new double[] {box.x, box.x + box.w}, new double[] {py, py}, GRID, HAIRLINE);
      c.text(NUMBER.format(t), box.x - 6, py + 4, TICK, false, INK, Align.END, 0);
    }
  }

  private record Box(double x, double y, double w, double h) {}

  /** The smallest and largest finite value seen. */
  private static final class Range {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double... values) {
      for (double v : values) {
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
  }

  /** A linear or logarithmic axis mapping data to pixels, with round tick values. */
  private record Scale(boolean log, double min, double max, double from, double to) {
    /**
     * The axis over [dataMin, dataMax], or over the fixed bounds where given; a linear axis gets
     * {@code pad} of its span added at the top, and 4% at the bottom, where not fixed; a
     * logarithmic one whole decades.
     */
    static Scale of(
        boolean log,
        double dataMin,
        double dataMax,
        Double fixedMin,
        Double fixedMax,
        double pad,
        double from,
        double to) {
      if (!(dataMin <= dataMax)) { // no data
        dataMin = log ? 1 : 0;
        dataMax = log ? 10 : 1;
      }
      if (log) {
        double min = Math.max(fixedMin != null ? fixedMin : dataMin, Double.MIN_NORMAL);
        double max = Math.max(fixedMax != null ? fixedMax : dataMax * Math.pow(10, pad), min);
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        return new Scale(true, lo, hi > lo ? hi : lo * 10, from, to);
      }
      double min = fixedMin != null ? fixedMin : dataMin;
      double max = fixedMax != null ? fixedMax : dataMax;
      if (!(max > min)) {
        double widen = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= widen;
        max += widen;
      }
      double span = max - min;
      return new Scale(
          false,
          fixedMin != null ? min : min - span * 0.04,
          fixedMax != null ? max : max + span * pad,
          from,
          to);
    }

    double px(double v) {
      double f =
          log
              ? (Math.log10(Math.max(v, Double.MIN_NORMAL)) - Math.log10(min))
                  / (Math.log10(max) - Math.log10(min))
              : (v - min) / (max - min);
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
      double step =
          raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
      for (double t = Math.ceil(min / step) * step; t <= max + 1e-9 * step; t += step) {
        out.add(Math.abs(t) < 1e-9 * step ? 0 : t);
      }
      return out;
    }
  }
}
