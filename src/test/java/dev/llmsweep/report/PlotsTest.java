package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.BatchPoint;
import dev.llmsweep.report.PlotData.Interval;
import dev.llmsweep.report.PlotData.ItlCdf;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.LengthPoint;
import dev.llmsweep.report.PlotData.SamplingCurve;
import dev.llmsweep.report.PlotData.SamplingPoint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Each plot drawn from known data: the PNG decodes at twice the plot's size and is not blank (the
 * series colours are in it), the SVG names the title, axes and every series (its {@code <title>}
 * and {@code <desc>}, and as text) and strokes one colour per line series. The files are kept under
 * target/report-test/plots.
 */
class PlotsTest {
  static final Path OUT = Path.of("target/report-test/plots");

  static final BatchCurve CURVE =
      new BatchCurve(
          "batch_sweep (max_tokens=128)",
          List.of(
              point(1, 40, 55, 38.0, 5100, 5400, 25),
              point(8, 45, 60, 41.0, 5300, 5900, 190),
              point(32, 60, 80, 50.0, 6000, 6600, 680),
              point(128, 90, 130, 85.0, 9000, 11000, 1800),
              point(512, 110, 160, 100.0, 20000, 26000, 3300)),
          32,
          128);

  /** A batch point with intervals of +-5% around p50 and -5%..unbounded around p99. */
  static BatchPoint point(
      int batch,
      double ttft50,
      double ttft99,
      Double proxy,
      double p50Ms,
      double p99Ms,
      double throughput) {
    return new BatchPoint(
        batch,
        ttft50,
        ttft99,
        proxy,
        p50Ms,
        p99Ms,
        throughput,
        new Interval(p50Ms * 0.95, p50Ms * 1.05),
        new Interval(p99Ms * 0.95, null));
  }

  @Test
  void latencyByBatchHasFourSeriesAndTheProxyWhenMeasured() throws IOException {
    Plot p =
        check(
            Plots.latencyByBatch("latency-by-batch", CURVE),
            5,
            "batch size (requests, log scale)",
            "latency (ms, log scale)");
    assertSvgHas(
        p,
        "TTFT p50 (streaming)",
        "TTFT p99 (streaming)",
        "batch latency p50",
        "batch latency p99",
        "proxy TTFT p50 (max_tokens=1 call)");
    assertEquals(5, linePaths(p), "one line per series");
    BatchCurve noProxy =
        new BatchCurve(
            "x",
            CURVE.points().stream()
                .map(
                    b ->
                        new BatchPoint(
                            b.batchSize(),
                            b.ttftP50Ms(),
                            b.ttftP99Ms(),
                            null,
                            b.latencyP50Ms(),
                            b.latencyP99Ms(),
                            b.throughput(),
                            b.p50Ci(),
                            b.p99Ci()))
                .toList(),
            null,
            null);
    Plot q =
        check(
            Plots.latencyByBatch("latency-by-batch-noproxy", noProxy),
            4,
            "batch size (requests, log scale)",
            "latency (ms, log scale)");
    assertTrue(!svg(q).contains("proxy TTFT"), "no proxy series without proxy figures");
  }

  @Test
  void sweetSpotMarksBothRules() throws IOException {
    Plot p =
        check(
            Plots.sweetSpot("sweet-spot", CURVE),
            4,
            "batch size (requests, log scale)",
            "normalised to [0, 1] over the curve");
    assertSvgHas(
        p,
        "sweet spot, notebook rule: batch 32",
        "sweet spot, Kneedle (recommended): batch 128",
        "1 - normalised throughput");
    assertEquals(4, linePaths(p), "two curves and two sweet-spot lines");
    BatchCurve twoPoints = new BatchCurve("short", CURVE.points().subList(0, 2), null, null);
    check(
        Plots.sweetSpot("sweet-spot-none", twoPoints),
        2,
        "batch size (requests, log scale)",
        "normalised to [0, 1] over the curve");
  }

  @Test
  void sweetSpotShadesKneedlesRange() throws IOException {
    BatchCurve ranged =
        new BatchCurve(CURVE.label(), CURVE.points(), 32, 128, List.of(32, 128, 512));
    Plot p =
        check(
            Plots.sweetSpot("sweet-spot-range", ranged),
            5,
            "batch size (requests, log scale)",
            "normalised to [0, 1] over the curve");
    assertSvgHas(p, "Kneedle's range within the 95% intervals: batch 32–512");
    assertTrue(
        p.caption()
            .contains(
                "Shaded: from the smallest to the largest batch size the 95% intervals cannot tell"
                    + " from Kneedle's pick (32, 128, 512)."),
        p.caption());
    // the band: Kneedle's green at a quarter opacity over white, between batch 32 and 512
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.png()));
    long shaded = 0;
    for (int y = 0; y < img.getHeight(); y += 4) {
      for (int x = 0; x < img.getWidth(); x += 4) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        shaded +=
            Math.abs((rgb >> 16) - 0xca) <= 3 && Math.abs(((rgb >> 8) & 0xff) - 0xe7) <= 3 ? 1 : 0;
      }
    }
    assertTrue(shaded > 1000, "a shaded band: " + shaded + " sampled pixels of it");
    assertEquals(
        4,
        Plots.sweetSpot(
                "sweet-spot-alone",
                new BatchCurve(CURVE.label(), CURVE.points(), 32, 128, List.of(128)))
            .series(),
        "no band when the pick stands alone");
  }

  @Test
  void latencyByLength() throws IOException {
    Plot p =
        check(
            Plots.latencyByLength(
                "latency-by-length",
                new LengthCurve(
                    "seqlen",
                    "generated tokens per request (mean)",
                    List.of(
                        new LengthPoint(32, 1200, 1500),
                        new LengthPoint(64, 2300, 2900),
                        new LengthPoint(128, 4500, 5600),
                        new LengthPoint(256, 9200, 11000)))),
            2,
            "generated tokens per request (mean)",
            "batch latency (ms)");
    assertSvgHas(p, "series: p50, p99");
    assertEquals(2, linePaths(p));
  }

  @Test
  void latencyBySamplingIsABarChartWithOneBarPerSettingAndSeries() throws IOException {
    List<SamplingPoint> settings =
        List.of(
            new SamplingPoint("T=0 top_p=0.8", 1000, 1200),
            new SamplingPoint("T=0.7 top_p=0.9", 1100, 1400),
            new SamplingPoint("T=1.3 top_p=1", 1050, 1900));
    Plot p =
        check(
            Plots.latencyBySampling("latency-by-sampling", new SamplingCurve("sampling", settings)),
            2,
            "sampling setting (T = temperature)",
            "batch latency (ms)");
    assertSvgHas(p, "T=0.7 top_p=0.9", "T=1.3 top_p=1", "series: p50, p99");
  }

  @Test
  void throughputByBatchSize() throws IOException {
    Plot p =
        check(
            Plots.throughputByBatch("throughput-by-batch", CURVE),
            1,
            "batch size (requests, log scale)",
            "output throughput (tok/s)");
    assertSvgHas(p, "series: output throughput");
    assertEquals(1, linePaths(p));
  }

  @Test
  void latencyAgainstThroughputLabelsEveryBatchSizeWithItsIntervals() throws IOException {
    Plot p =
        check(
            Plots.latencyVsThroughput("latency-vs-throughput", CURVE),
            2,
            "output throughput (tok/s)",
            "batch latency (ms)");
    assertSvgHas(
        p,
        "series: p50 batch latency, p99 batch latency; batch sizes: bs=1, bs=8, bs=32, bs=128, bs=512");
    assertTrue(p.caption().contains("Vertical bars: 95% intervals of p50 and p99"), p.caption());
    // the error bars: one vertical segment per point and quantile, in the series' colours, not in
    // the legend
    Matcher bars =
        Pattern.compile(
                "<polyline fill=\"none\" stroke=\"#(1f77b4|d62728)\" stroke-width=\"1.5\""
                    + " points=\"([\\d.]+),([\\d.]+) ([\\d.]+),([\\d.]+)\"/>")
            .matcher(svg(p));
    long vertical =
        bars.results()
            .filter(m -> m.group(2).equals(m.group(4)) && !m.group(3).equals(m.group(5)))
            .count();
    assertEquals(2 * CURVE.points().size(), vertical, "an error bar per point and quantile");
    assertEquals(List.of("p50 batch latency", "p99 batch latency"), SvgText.legend(svg(p)));
    for (BatchPoint b : CURVE.points()) {
      assertTrue(
          svg(p).contains(">" + Plots.batchLabel(b.batchSize()) + "</text>"),
          "labelled " + b.batchSize());
    }
    BatchCurve unbounded =
        new BatchCurve(
            "x",
            CURVE.points().stream()
                .map(
                    b ->
                        new BatchPoint(
                            b.batchSize(),
                            b.ttftP50Ms(),
                            b.ttftP99Ms(),
                            null,
                            b.latencyP50Ms(),
                            b.latencyP99Ms(),
                            b.throughput(),
                            Interval.NONE,
                            Interval.NONE))
                .toList(),
            null,
            null);
    assertTrue(
        Plots.latencyVsThroughput("lvt-none", unbounded)
            .caption()
            .contains("No interval is bounded"));
  }

  @Test
  void itlCdfHasOneLinePerBatchSize() throws IOException {
    double[] f = {0, 0.25, 0.5, 0.75, 0.99, 1};
    List<ItlCdf> cdfs =
        List.of(
            new ItlCdf(1, new double[] {0, 30, 31, 33, 40, 90}, f),
            new ItlCdf(8, new double[] {30, 34, 35, 37, 45, 100}, f),
            new ItlCdf(64, new double[] {50, 52, 55, 60, 80, 200}, f));
    Plot p =
        check(
            Plots.itlCdf("itl-cdf", "batch_sweep", cdfs),
            3,
            "inter-token latency (ms, log scale)",
            "fraction of gaps at or below");
    assertSvgHas(p, "batch size 1", "batch size 8", "batch size 64");
    assertEquals(3, linePaths(p));
  }

  /** Common checks; writes the files for a person to look at. */
  static Plot check(Plot p, int series, String xLabel, String yLabel) throws IOException {
    assertEquals(series, p.series(), "series drawn");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.png()));
    assertNotNull(img, "PNG decodes");
    assertEquals(Plot.SCALE * Plots.WIDTH, img.getWidth());
    assertEquals(Plot.SCALE * Plots.HEIGHT, img.getHeight());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        colours.add(img.getRGB(x, y) & 0xffffff);
      }
    }
    assertTrue(colours.size() > 20, "not blank: " + colours.size() + " distinct colours");
    assertTrue(
        colours.contains(0x1f77b4) || colours.contains(0x555555),
        "the first series colour is drawn");
    assertTrue(p.png().length > 10_000, "PNG size " + p.png().length);
    String svg = svg(p);
    assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), "SVG document");
    assertTrue(svg.contains("<title>" + Html.esc(p.title()) + "</title>"), "SVG title");
    assertTrue(
        svg.contains("x axis: " + Html.esc(xLabel)) && svg.contains("y axis: " + Html.esc(yLabel)),
        "SVG names its axes");
    Files.createDirectories(OUT);
    Files.write(OUT.resolve(p.name() + ".png"), p.png());
    Files.write(OUT.resolve(p.name() + ".svg"), p.svg());
    return p;
  }

  static String svg(Plot p) {
    return new String(p.svg(), StandardCharsets.UTF_8);
  }

  static void assertSvgHas(Plot p, String... texts) {
    String svg = svg(p);
    for (String t : texts) {
      assertTrue(svg.contains(Html.esc(t)), "SVG lacks '" + t + "'");
    }
  }

  /**
   * Line series: the distinct series colours of 2 px lines (series and their legend lines; the grid
   * is grey and 1 px, error bars 1.5 px).
   */
  static long linePaths(Plot p) {
    Matcher m =
        Pattern.compile("<polyline fill=\"none\" stroke=\"#([0-9a-f]{6})\" stroke-width=\"2\"")
            .matcher(svg(p));
    return m.results()
        .map(r -> Integer.parseInt(r.group(1), 16))
        .filter(PlotsTest::isSeriesColour)
        .distinct()
        .count();
  }

  private static boolean isSeriesColour(int rgb) {
    return Set.of(
            0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf,
            0x555555)
        .contains(rgb);
  }
}
