package dev.llmsweep.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.internal.chartpart.Chart;

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
public record Plot(String name, String title, String caption, int series, int width, int height, byte[] png,
    byte[] svg) {
  static final int SCALE = 2;

  static {
    // no display on servers and CI: AWT must never try to open one
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Renders {@code chart} to PNG and SVG. */
  static Plot render(String name, String caption, Chart<?, ?> chart, int series) {
    return render(name, caption, chart, series, "");
  }

  /**
   * Why the JDK's font manager cannot draw text here ({@code libfontmanager.so} failed to load: it
   * needs the system's HarfBuzz and FreeType), or null when it can.
   */
  static final String JDK_FONTS_MISSING = jdkFontsMissing();

  /**
   * Renders {@code chart}; {@code more} is added to the SVG's description (e.g. category labels).
   * With the JDK's fonts, XChart draws it; without them, {@link PlainChart} draws the same content
   * with a font of its own, so a report never depends on the machine's font libraries.
   */
  static Plot render(String name, String caption, Chart<?, ?> chart, int series, String more) {
    if (JDK_FONTS_MISSING != null) {
      return plain(name, caption, chart, series, more);
    }
    return new Plot(name, chart.getTitle(), caption, series, chart.getWidth(), chart.getHeight(), png(chart),
        svg(chart, more));
  }

  /** The chart drawn by {@link PlainChart}: text from the bundled font, no font manager. */
  static Plot plain(String name, String caption, Chart<?, ?> chart, int series, String more) {
    Canvas.Png png = new Canvas.Png(chart.getWidth(), chart.getHeight(), SCALE);
    PlainChart.draw(chart, png);
    Canvas.Svg svg = new Canvas.Svg();
    PlainChart.draw(chart, svg);
    return new Plot(name, chart.getTitle(), caption, series, chart.getWidth(), chart.getHeight(), png.bytes(),
        svg.bytes(chart.getWidth(), chart.getHeight(), chart.getTitle(), description(chart, more)));
  }

  private static String jdkFontsMissing() {
    try {
      Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
      g.getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12)).stringWidth("0");
      g.dispose();
      return null;
    } catch (LinkageError | InternalError | RuntimeException e) {
      // UnsatisfiedLinkError (libfontmanager.so: libharfbuzz.so.0 ...), then NoClassDefFoundError
      return e.toString();
    }
  }

  private static String description(Chart<?, ?> chart, String more) {
    return "x axis: " + chart.getXAxisTitle() + "; y axis: " + chart.getYAxisTitle() + "; series: "
        + String.join(", ", chart.getSeriesMap().values().stream().filter(x -> x.isShowInLegend())
            .map(x -> x.getName()).toList()) + more;
  }

  private static byte[] png(Chart<?, ?> chart) {
    BufferedImage image = new BufferedImage(chart.getWidth() * SCALE, chart.getHeight() * SCALE,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.scale(SCALE, SCALE);
      chart.paint(g, chart.getWidth(), chart.getHeight());
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The SVG, with a {@code <title>} and a {@code <desc>} naming the axes and series: XChart draws
   * every label as glyph outlines, so without them the file holds no text for screen readers,
   * search or a test to find.
   */
  private static byte[] svg(Chart<?, ?> chart, String more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsFormat.SVG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String svg = out.toString(StandardCharsets.UTF_8);
    int open = svg.indexOf("<svg");
    int end = open < 0 ? -1 : svg.indexOf('>', open);
    if (end < 0) {
      throw new IllegalStateException("XChart wrote no <svg> element");
    }
    String desc = description(chart, more);
    String meta = "\n  <title>" + Html.esc(chart.getTitle()) + "</title>\n  <desc>" + Html.esc(desc) + "</desc>";
    return (svg.substring(0, end + 1) + meta + svg.substring(end + 1)).getBytes(StandardCharsets.UTF_8);
  }
}
