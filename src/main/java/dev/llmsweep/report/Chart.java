package dev.llmsweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * What one plot shows, before it is drawn (driver side): a title, two axes with their titles (units
 * included) and scales, and either lines (named ones in the legend; unnamed ones, such as error
 * bars, not) with text labels at data points, or grouped bars over categories. {@link PlainChart}
 * lays it out on a {@link Canvas}, the same on every JVM: nothing here or there measures or draws
 * text through the JDK's font manager.
 */
final class Chart {
  /** A series' line: 2 px, solid. */
  static final BasicStroke SOLID =
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);

  /** The p99 curves' line. */
  static final BasicStroke DASHED =
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6, 4}, 0);

  /** Reference lines (a proxy measurement, an SLO, the offered rate). */
  static final BasicStroke DOTTED =
      new BasicStroke(
          2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1, 4}, 0);

  /** Error bars. */
  static final BasicStroke THIN = new BasicStroke(1.5f);

  /** Series colours, in the order plots take them. */
  static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x17becf)
  };

  /**
   * A polyline through (x[i], y[i]).
   *
   * @param name its legend entry, or null for none (an error bar)
   * @param dots whether each point gets a dot
   */
  record Line(String name, double[] x, double[] y, Color color, BasicStroke stroke, boolean dots) {}

  /** Text centred above the data point (x, y), e.g. {@code bs=8}. */
  record Label(String text, double x, double y) {}

  /** A shaded stretch of the x axis across the whole plot, in the legend as {@code name}. */
  record Band(String name, double x0, double x1, Color color) {}

  /** One bar per category, in the legend as {@code name}. */
  record Bars(String name, double[] values, Color color) {}

  final String title;
  final String xTitle;
  final String yTitle;
  final List<String> categories;
  final List<Line> lines = new ArrayList<>();
  final List<Label> labels = new ArrayList<>();
  final List<Bars> bars = new ArrayList<>();
  final List<Band> bands = new ArrayList<>();
  boolean xLog;
  boolean yLog;
  Double yMin;
  Double yMax;

  private Chart(String title, String xTitle, String yTitle, List<String> categories) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
    this.categories = categories;
  }

  /** A chart of lines on numeric axes. */
  static Chart xy(String title, String xTitle, String yTitle) {
    return new Chart(title, xTitle, yTitle, null);
  }

  /** A chart of grouped bars, one group per category; the y axis starts at 0. */
  static Chart bars(String title, String xTitle, String yTitle, List<String> categories) {
    return new Chart(title, xTitle, yTitle, List.copyOf(categories));
  }

  boolean isBars() {
    return categories != null;
  }

  Chart logX() {
    xLog = true;
    return this;
  }

  Chart logY() {
    yLog = true;
    return this;
  }

  /** Fixes the y axis to [min, max] instead of the data's range. */
  Chart yRange(double min, double max) {
    yMin = min;
    yMax = max;
    return this;
  }

  /** A named line with a dot at each point. */
  Chart line(String name, double[] x, double[] y, Color color, BasicStroke stroke) {
    lines.add(new Line(name, x, y, color, stroke, true));
    return this;
  }

  /** A named line without dots (a reference or a distribution). */
  Chart plainLine(String name, double[] x, double[] y, Color color, BasicStroke stroke) {
    lines.add(new Line(name, x, y, color, stroke, false));
    return this;
  }

  /** A vertical segment at x from y0 to y1 that is not a series: no legend entry. */
  Chart errorBar(double x, double y0, double y1, Color color) {
    lines.add(new Line(null, new double[] {x, x}, new double[] {y0, y1}, color, THIN, false));
    return this;
  }

  /** Shades x from {@code x0} to {@code x1} over the plot's height (drawn under the lines). */
  Chart band(String name, double x0, double x1, Color color) {
    bands.add(new Band(name, x0, x1, color));
    return this;
  }

  Chart label(String text, double x, double y) {
    labels.add(new Label(text, x, y));
    return this;
  }

  Chart bar(String name, double[] values, Color color) {
    bars.add(new Bars(name, values, color));
    return this;
  }

  /** The legend's entries: the named lines, or the bar series. */
  List<String> legend() {
    List<String> out = new ArrayList<>();
    if (isBars()) {
      bars.forEach(b -> out.add(b.name()));
    } else {
      lines.stream().filter(l -> l.name() != null).forEach(l -> out.add(l.name()));
      bands.forEach(b -> out.add(b.name()));
    }
    return out;
  }

  /** What the plot shows in words (the SVG's {@code <desc>}), {@code more} appended. */
  String description(String more) {
    return "x axis: "
        + xTitle
        + "; y axis: "
        + yTitle
        + "; series: "
        + String.join(", ", legend())
        + more;
  }
}
