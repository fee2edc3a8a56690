package dev.llmsweep.report;

import dev.llmsweep.store.Build;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Where {@link PlainChart} draws (driver side): lines, dots, boxes and text, in CSS pixels. Two
 * kinds, neither of which touches the JDK's font manager: {@link Svg} writes SVG elements (text as
 * {@code <text>}), {@link Png} fills shapes on an image, text as {@link OutlineFont} outlines.
 */
interface Canvas {
  /** Horizontal alignment of text at its anchor point. */
  enum Align {
    START,
    MIDDLE,
    END
  }

  void polyline(double[] x, double[] y, Color color, BasicStroke stroke);

  void dot(double x, double y, double radius, Color color);

  void box(double x, double y, double w, double h, Color fill, Color stroke);

  /** Text with its baseline at y, turned by {@code degrees} (counter-clockwise) about (x, y). */
  void text(
      String s,
      double x,
      double y,
      double size,
      boolean bold,
      Color color,
      Align align,
      double degrees);

  /** Centred text over a white outline, readable where a line crosses it (a point's label). */
  void label(String s, double x, double y, double size, Color color);

  static double width(String s, double size) {
    return OutlineFont.get().width(s, size);
  }

  /** SVG elements, text as text (searchable, read by screen readers). */
  final class Svg implements Canvas {
    private final StringBuilder body = new StringBuilder();

    @Override
    public void polyline(double[] x, double[] y, Color color, BasicStroke stroke) {
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        pts.append(i == 0 ? "" : " ").append(n(x[i])).append(',').append(n(y[i]));
      }
      body.append("<polyline fill=\"none\" stroke=\"")
          .append(hex(color))
          .append("\" stroke-width=\"")
          .append(n(stroke.getLineWidth()))
          .append('"');
      float[] dash = stroke.getDashArray();
      if (dash != null) {
        body.append(" stroke-dasharray=\"");
        for (int i = 0; i < dash.length; i++) {
          body.append(i == 0 ? "" : ",").append(n(dash[i]));
        }
        body.append('"');
      }
      body.append(" points=\"").append(pts).append("\"/>\n");
    }

    @Override
    public void dot(double x, double y, double radius, Color color) {
      body.append("<circle cx=\"")
          .append(n(x))
          .append("\" cy=\"")
          .append(n(y))
          .append("\" r=\"")
          .append(n(radius))
          .append("\" fill=\"")
          .append(hex(color))
          .append("\"/>\n");
    }

    @Override
    public void box(double x, double y, double w, double h, Color fill, Color stroke) {
      body.append("<rect x=\"")
          .append(n(x))
          .append("\" y=\"")
          .append(n(y))
          .append("\" width=\"")
          .append(n(w))
          .append("\" height=\"")
          .append(n(h))
          .append("\" fill=\"")
          .append(fill == null ? "none" : hex(fill))
          .append('"')
          .append(
              fill == null || fill.getAlpha() == 255
                  ? ""
                  : " fill-opacity=\"" + n(fill.getAlpha() / 255.0) + "\"")
          .append(stroke == null ? "" : " stroke=\"" + hex(stroke) + "\"")
          .append("/>\n");
    }

    @Override
    public void text(
        String s,
        double x,
        double y,
        double size,
        boolean bold,
        Color color,
        Align align,
        double degrees) {
      body.append("<text x=\"")
          .append(n(x))
          .append("\" y=\"")
          .append(n(y))
          .append("\" font-size=\"")
          .append(n(size))
          .append('"')
          .append(bold ? " font-weight=\"bold\"" : "")
          .append(" fill=\"")
          .append(hex(color))
          .append("\" text-anchor=\"")
          .append(align == Align.START ? "start" : align == Align.MIDDLE ? "middle" : "end")
          .append('"');
      if (degrees != 0) {
        body.append(" transform=\"rotate(")
            .append(n(-degrees))
            .append(' ')
            .append(n(x))
            .append(' ')
            .append(n(y))
            .append(")\"");
      }
      body.append('>').append(Html.esc(s)).append("</text>\n");
    }

    @Override
    public void label(String s, double x, double y, double size, Color color) {
      body.append("<text x=\"")
          .append(n(x))
          .append("\" y=\"")
          .append(n(y))
          .append("\" font-size=\"")
          .append(n(size))
          .append("\" fill=\"")
          .append(hex(color))
          .append("\" text-anchor=\"middle\" stroke=\"#ffffff\"")
          .append(" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">")
          .append(Html.esc(s))
          .append("</text>\n");
    }

    byte[] bytes(int width, int height, String title, String desc) {
      String svg =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
              + width
              + "\" height=\""
              + height
              + "\" viewBox=\"0 0 "
              + width
              + " "
              + height
              + "\" font-family=\"'Liberation Sans', Arial, Helvetica,"
              + " sans-serif\">\n  <!-- "
              + Html.esc(Build.current().describe())
              + " -->\n  <title>"
              + Html.esc(title)
              + "</title>\n  <desc>"
              + Html.esc(desc)
              + "</desc>\n"
              + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
              + body
              + "</svg>\n";
      return svg.getBytes(StandardCharsets.UTF_8);
    }

    private static String n(double v) {
      return String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
    }

    private static String hex(Color c) {
      return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xffffff);
    }
  }

  /** An image, drawn at {@code scale} device pixels per CSS pixel. */
  final class Png implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;

    Png(int width, int height, int scale) {
      image = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
      g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.scale(scale, scale);
      g.setColor(Color.WHITE);
      g.fill(new Rectangle2D.Double(0, 0, width, height));
    }

    @Override
    public void polyline(double[] x, double[] y, Color color, BasicStroke stroke) {
      Path2D.Double p = new Path2D.Double();
      for (int i = 0; i < x.length; i++) {
        if (i == 0) {
          p.moveTo(x[i], y[i]);
        } else {
          p.lineTo(x[i], y[i]);
        }
      }
      g.setColor(color);
      g.setStroke(stroke);
      g.draw(p);
    }

    @Override
    public void dot(double x, double y, double radius, Color color) {
      g.setColor(color);
      g.fill(new Ellipse2D.Double(x - radius, y - radius, 2 * radius, 2 * radius));
    }

    @Override
    public void box(double x, double y, double w, double h, Color fill, Color stroke) {
      Rectangle2D.Double r = new Rectangle2D.Double(x, y, w, h);
      if (fill != null) {
        g.setColor(fill);
        g.fill(r);
      }
      if (stroke != null) {
        g.setColor(stroke);
        g.setStroke(new BasicStroke(1));
        g.draw(r);
      }
    }

    @Override
    public void text(
        String s,
        double x,
        double y,
        double size,
        boolean bold,
        Color color,
        Align align,
        double degrees) {
      double w = width(s, size);
      double dx = align == Align.START ? 0 : align == Align.MIDDLE ? -w / 2 : -w;
      AffineTransform at = new AffineTransform();
      at.translate(x, y);
      at.rotate(Math.toRadians(-degrees));
      at.translate(dx, 0);
      Shape glyphs = at.createTransformedShape(OutlineFont.get().outline(s, size));
      g.setColor(color);
      g.fill(glyphs);
      if (bold) {
        g.setStroke(new BasicStroke((float) (size * 0.045)));
        g.draw(glyphs);
      }
    }

    @Override
    public void label(String s, double x, double y, double size, Color color) {
      AffineTransform at = AffineTransform.getTranslateInstance(x - width(s, size) / 2, y);
      Shape glyphs = at.createTransformedShape(OutlineFont.get().outline(s, size));
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(3, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(glyphs);
      g.setColor(color);
      g.fill(glyphs);
    }

    byte[] bytes() {
      g.dispose();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        ImageIO.write(image, "png", out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }
}
