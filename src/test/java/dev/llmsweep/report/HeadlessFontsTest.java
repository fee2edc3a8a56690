package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Plots on a headless machine without the system's font libraries: a JVM made with jlink from
 * this JDK, less its {@code libfontmanager.so} (what a node without HarfBuzz/FreeType amounts to:
 * the library cannot load), draws every kind of plot. The JVM is checked to really lack the
 * JDK's fonts, then each PNG must decode at twice the plot's size with its title drawn (dark
 * pixels where the title is) and each SVG must hold its title and axis titles as text.
 */
class HeadlessFontsTest {
  static final Path JRE = Path.of("target/jre-without-fonts");

  @Test
  void everyKindOfPlotRendersInAJvmWithoutTheFontLibrary() throws Exception {
    Path java = jreWithoutFonts();
    Path out = Path.of("target/report-test/headless-plots");
    String cp = String.join(File.pathSeparator, "target/classes", "target/test-classes",
        Files.readString(Path.of("target/classpath-engine.txt")).trim());
    Process p = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-cp", cp,
        HeadlessPlots.class.getName(), out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("jdk fonts: missing: java.lang.UnsatisfiedLinkError"),
        "the JVM really cannot load the JDK's font library: " + output);
    assertTrue(output.contains("plots: 7"), output);
    for (String name : List.of("latency-by-batch", "sweet-spot", "latency-by-length", "latency-by-sampling",
        "throughput-by-batch", "latency-vs-throughput", "itl-cdf")) {
      BufferedImage png = ImageIO.read(out.resolve(name + ".png").toFile());
      assertEquals(2 * Plots.WIDTH, png.getWidth(), name);
      assertEquals(2 * Plots.HEIGHT, png.getHeight(), name);
      assertTrue(darkPixels(png, 0, 2 * 30) > 500, name + ": the title is drawn");
      assertTrue(darkPixels(png, 2 * 30, png.getHeight()) > 2000, name + ": axes, labels and legend are drawn");
      String svg = Files.readString(out.resolve(name + ".svg"));
      assertTrue(svg.contains("<text") && svg.contains("</svg>"), name);
    }
    String svg = Files.readString(out.resolve("latency-by-batch.svg"));
    assertTrue(svg.contains(">TTFT and batch latency by batch size: batch_sweep</text>"), svg);
    assertTrue(svg.contains(">batch size (requests, log scale)</text>"), svg);
    assertTrue(svg.contains(">TTFT p99 (streaming)</text>"), "the legend names every series");
  }

  /** Pixels darker than mid-grey in rows [from, to). */
  private static int darkPixels(BufferedImage img, int from, int to) {
    int n = 0;
    for (int y = from; y < to; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 3 * 128) {
          n++;
        }
      }
    }
    return n;
  }

  /** This JDK's java.desktop, linked by jlink, without libfontmanager.so; made once under target/. */
  static Path jreWithoutFonts() throws Exception {
    Path java = JRE.resolve("bin/java");
    if (Files.isExecutable(java) && !Files.exists(JRE.resolve("lib/libfontmanager.so"))) {
      return java;
    }
    Path home = Path.of(System.getProperty("java.home"));
    Assumptions.assumeTrue(Files.isDirectory(home.resolve("jmods")), "this JDK has no jmods for jlink: " + home);
    if (Files.exists(JRE)) {
      try (var all = Files.walk(JRE)) {
        all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Process jlink = new ProcessBuilder(home.resolve("bin/jlink").toString(), "--add-modules",
        "java.desktop,java.logging", "--no-header-files", "--no-man-pages", "--output", JRE.toString())
        .redirectErrorStream(true).start();
    String log = new String(jlink.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, jlink.waitFor(), log);
    Files.delete(JRE.resolve("lib/libfontmanager.so"));
    return java;
  }
}
