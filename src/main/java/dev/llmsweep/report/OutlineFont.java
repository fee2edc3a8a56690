package dev.llmsweep.report;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.GeneralPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.GlyphData;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

/**
 * Text as outlines without the JDK's font manager (driver side): Liberation Sans (metric-compatible
 * with Arial; the copy PDFBox ships) parsed in pure Java by FontBox. The font manager's native
 * library ({@code libfontmanager.so}) needs the system's HarfBuzz and FreeType, absent on many
 * headless GPU nodes; glyph outlines are plain shapes, which Java2D fills without it.
 */
final class OutlineFont {
  private static final String RESOURCE =
      "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
  private static OutlineFont instance;

  private final TrueTypeFont font;
  private final CmapLookup cmap;
  private final float unitsPerEm;

  private OutlineFont(TrueTypeFont font) throws IOException {
    this.font = font;
    this.cmap = font.getUnicodeCmapLookup();
    this.unitsPerEm = font.getUnitsPerEm();
  }

  static synchronized OutlineFont get() {
    if (instance == null) {
      try (InputStream in = OutlineFont.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "no " + RESOURCE + " on the classpath (it comes with PDFBox)");
        }
        instance = new OutlineFont(new TTFParser().parse(new RandomAccessReadBuffer(in)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
    return instance;
  }

  /** The advance width of {@code text} at {@code size} pixels. */
  synchronized double width(String text, double size) {
    double units = 0;
    try {
      for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
        units += font.getAdvanceWidth(cmap.getGlyphId(text.codePointAt(i)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return units * size / unitsPerEm;
  }

  /**
   * The outline of {@code text} at {@code size} pixels, its baseline starting at (0, 0), y down.
   */
  synchronized Shape outline(String text, double size) {
    GeneralPath out = new GeneralPath();
    double scale = size / unitsPerEm;
    double x = 0;
    try {
      for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
        int gid = cmap.getGlyphId(text.codePointAt(i));
        GlyphData glyph = font.getGlyph().getGlyph(gid);
        if (glyph != null) {
          AffineTransform at = new AffineTransform(scale, 0, 0, -scale, x, 0);
          out.append(glyph.getPath().getPathIterator(at), false);
        }
        x += font.getAdvanceWidth(gid) * scale;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
