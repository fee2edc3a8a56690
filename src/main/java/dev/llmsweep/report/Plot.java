package dev.llmsweep.report;

/**
 * One rendered plot (driver side): its PNG (drawn at twice its size, for sharp text on dense
 * screens) and SVG bytes.
 *
 * @param name file name without extension, e.g. {@code latency-by-batch-1}
 * @param title what the plot shows
 * @param caption how to read it (one or two sentences)
 * @param series the number of data series drawn
 * @param width width in CSS pixels (the PNG is {@code 2 * width} pixels wide)
 * @param height height in CSS pixels
 */
public record Plot(
    String name,
    String title,
    String caption,
    int series,
    int width,
    int height,
    byte[] png,
    byte[] svg) {
  static final int SCALE = 2;

  static {
    // no display on servers and CI: AWT must never try to open one
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Renders {@code chart} at the report's size to PNG and SVG. */
  static Plot render(String name, String caption, Chart chart, int series) {
    return render(name, caption, chart, series, "");
  }

  /**
   * Renders {@code chart}; {@code more} is added to the SVG's description (e.g. category labels).
   * One renderer for every JVM ({@link PlainChart}, text from the bundled font), so a report
   * written on a GPU node without the system's font libraries is the same as a laptop's.
   */
  static Plot render(String name, String caption, Chart chart, int series, String more) {
    int w = Plots.WIDTH;
    int h = Plots.HEIGHT;
    Canvas.Png png = new Canvas.Png(w, h, SCALE);
    PlainChart.draw(chart, png, w, h);
    Canvas.Svg svg = new Canvas.Svg();
    PlainChart.draw(chart, svg, w, h);
    return new Plot(
        name,
        chart.title,
        caption,
        series,
        w,
        h,
        png.bytes(),
        svg.bytes(w, h, chart.title, chart.description(more)));
  }
}
