package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.SweepFixture;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.store.Build;
import dev.llmsweep.store.TestRuns;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report of a known run (the analysis tests' sweep fixture, with a manifest saying one planned
 * point is missing), written twice from the same results: by {@code submit report}'s command in a
 * child JVM whose runtime lacks the JDK's font library ({@link NoFontsRuntime}, as on many GPU
 * nodes), and by {@link Reports#write} in this JVM. Each is checked the same way and opened in
 * headless Chromium: the rendered text holds the tables, recommendations, setup and warnings, every
 * plot loads at the page width, the SVGs label the batch sizes, list only the real series in their
 * legends and give their axes units; and the two reports' plots are the same, byte for byte apart
 * from the SVG's version line. Screenshots are kept at target/report-test/RUNTIME/report.png. Also
 * {@code submit report}'s own checks: it writes where {@code --out} says and says where (the
 * child), and bad input exits 2. Fails, never skips, without Chromium.
 */
@SparkOnly
class ReportBrowserTest {
  static final Path DIR = Path.of("target/report-test").toAbsolutePath();

  /** The two runtimes that write the report, by their directory under {@link #DIR}. */
  static final String JDK = "jdk";

  static final String NO_FONTS = "no-fonts";

  /**
   * Every plot of the fixture run (batch, length and sampling experiments) and its axes' titles.
   */
  static final Map<String, List<String>> PLOTS = plots();

  @BeforeAll
  static void writeReports() throws Exception {
    Path root = SweepFixture.root();
    Files.writeString(
        root.resolve(SweepFixture.RUN).resolve("manifest.json"),
        manifest(),
        StandardCharsets.UTF_8);
    Path plots = root.resolve(SweepFixture.RUN).resolve("plots");
    // the command a GPU node runs, in a runtime without libfontmanager.so; its plots kept aside
    Files.createDirectories(DIR.resolve(NO_FONTS));
    String probe =
        NoFontsRuntime.child(List.of("-cp", "target/test-classes", NoFontsRuntime.class.getName()));
    assertTrue(
        probe.startsWith("jdk fonts: missing: java.lang.UnsatisfiedLinkError"),
        "the child's runtime really cannot load the JDK's font library: " + probe);
    // Spark's whole-stage code generation off: on the fixture's few rows, compiling the queries in
    // a
    // cold JVM costs more CPU than running them interpreted (the results, and so the plots, are the
    // same)
    List<String> report = new ArrayList<>(NoFontsRuntime.sparkFlags());
    report.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-Dspark.sql.codegen.wholeStage=false",
            "-Dspark.sql.codegen.factoryMode=NO_CODEGEN"));
    report.addAll(
        List.of(
            "-Dllmsweep.home=" + Path.of("").toAbsolutePath(),
            "-Dlog4j2.configurationFile=conf/log4j2.properties",
            "-Dllmsweep.log=" + DIR.resolve(NO_FONTS + "/spark.log"),
            "-cp",
            "target/classes"
                + File.pathSeparator
                + Files.readString(Path.of("target/classpath-full.txt")).trim(),
            "dev.llmsweep.cli.Main",
            "report",
            "--results",
            root.toString(),
            "--run-id",
            SweepFixture.RUN,
            "--out",
            html(NO_FONTS).toString()));
    String said = NoFontsRuntime.child(report);
    assertTrue(
        said.contains("report of run " + SweepFixture.RUN + ": file:" + html(NO_FONTS)),
        "says where: " + said);
    copy(plots, DIR.resolve(NO_FONTS + "/plots"));
    // this JVM, with the JDK's fonts
    assertEquals(
        "jdk fonts: available",
        fonts(),
        "this JVM loads the JDK's fonts (else the two reports are"
            + " not written with and without them: apt-get install libfreetype6 libharfbuzz0b)");
    String written =
        Reports.write(
            TestSpark.newWholeFileSession(),
            TestRuns.open(TestSpark.newWholeFileSession(), root.toString(), SweepFixture.RUN),
            2.5,
            html(JDK).toString());
    assertTrue(written.endsWith("report-test/jdk/report.html"), written);
    copy(plots, DIR.resolve(JDK + "/plots"));
  }

  /** 14 points committed of 15 planned; an executor name that must be escaped. */
  static String manifest() {
    return """
        {"run_id":"run-sweep","job_name":"fixture","job_file":"jobs/fixture.conf","job_sha256":"0123456789abcdef0123",
         "status":"failed","started_at":"2026-01-01T00:00:00Z","ended_at":"2026-01-01T00:10:00Z",
         "project_version":"9.9.9","git_commit":"abc1234","spark_master":"local-cluster[2,1,1024]",
         "spark_version":"4.0.1","app_id":"app-1","djl_version":"0.36.0","pytorch_version":"2.7.1","jvm":"OpenJDK 17",
         "executors":[{"executor_id":"7","host":"node<&>1","devices":["gpu:0"],"device_names":["Fake GPU"],
           "points":14,"model_loads":1,"model_load_ms":12.5}],
         "points_planned":15,"points_committed":14,"points_run":14,"points_skipped":0}
        """;
  }

  private static Map<String, List<String>> plots() {
    String batch = "batch size (requests, log scale)";
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("latency-by-batch-1", List.of(batch, "latency (ms, log scale)"));
    m.put("throughput-by-batch-1", List.of(batch, "output throughput (tok/s)"));
    m.put("latency-vs-throughput-1", List.of("output throughput (tok/s)", "batch latency (ms)"));
    m.put("sweet-spot-1", List.of(batch, "normalised to [0, 1] over the curve"));
    m.put(
        "latency-by-length-1",
        List.of("generated tokens per request (mean)", "batch latency (ms)"));
    m.put(
        "latency-by-sampling-1",
        List.of("sampling setting (T = temperature)", "batch latency (ms)"));
    m.put(
        "itl-cdf-1",
        List.of("inter-token latency (ms, log scale)", "fraction of gaps at or below"));
    return m;
  }

  static Path html(String runtime) {
    return DIR.resolve(runtime).resolve("report.html");
  }

  @ParameterizedTest
  @ValueSource(strings = {JDK, NO_FONTS})
  void selfContainedWithEveryPlotLabelledAndInUnits(String runtime) throws IOException {
    String html = Files.readString(html(runtime));
    assertFalse(
        Pattern.compile("(?i)<script|<link|\\b(src|href)=\"(?!data:|#)|url\\(")
            .matcher(html)
            .find(),
        "nothing fetched: no scripts, stylesheets, or non-data sources");
    int images = SvgText.count(html, "<img ");
    assertEquals(PLOTS.size(), images, "plots: " + PLOTS.keySet());
    assertEquals(images, SvgText.count(html, "src=\"data:image/png;base64,"));
    assertTrue(html.contains("node&lt;&amp;&gt;1"), "text is escaped");
    assertTrue(
        html.contains(" by " + Html.esc(Build.current().describe()) + "</p>"),
        "the writer's version");
    Path plots = DIR.resolve(runtime).resolve("plots");
    for (Map.Entry<String, List<String>> e : PLOTS.entrySet()) {
      BufferedImage png = ImageIO.read(plots.resolve(e.getKey() + ".png").toFile());
      assertEquals(Plot.SCALE * Plots.WIDTH, png.getWidth(), e.getKey());
      String svg = Files.readString(plots.resolve(e.getKey() + ".svg"));
      for (String axis : e.getValue()) {
        assertTrue(
            svg.contains(">" + Html.esc(axis) + "</text>"), e.getKey() + ": axis title " + axis);
      }
      if (e.getValue().get(1).contains("log scale")) {
        for (double tick : SvgText.yTicks(svg)) {
          double mantissa = tick / Math.pow(10, Math.floor(Math.log10(tick)));
          assertTrue(
              Set.of(1.0, 2.0, 5.0).contains(Math.round(mantissa * 1e6) / 1e6),
              e.getKey()
                  + ": a logarithmic y axis has ticks at 1, 2 or 5 times a power of ten, not "
                  + tick);
        }
      }
    }
    // the latency-throughput plot labels every batch size; its legend is its two series, no error
    // bars
    String lvt = Files.readString(plots.resolve("latency-vs-throughput-1.svg"));
    for (int batch : SweepFixture.BATCH) {
      assertTrue(lvt.contains(">bs=" + batch + "</text>"), "bs=" + batch + " labelled");
    }
    assertEquals(List.of("p50 batch latency", "p99 batch latency"), SvgText.legend(lvt));
    assertEquals(
        List.of(
            "TTFT p50 (streaming)",
            "TTFT p99 (streaming)",
            "batch latency p50",
            "batch latency p99"),
        SvgText.legend(Files.readString(plots.resolve("latency-by-batch-1.svg"))));
  }

  /**
   * {@code submit report}'s bad input (the command itself ran in the child): exit 2 with one line,
   * nothing written.
   */
  @Test
  void badInputExitsTwo() {
    Outcome budget =
        Submit.run("report", "--results", SweepFixture.root().toString(), "--budget", "-1");
    assertEquals(2, budget.code());
    assertTrue(
        budget.err().contains("--budget must be a positive number of seconds"), budget.err());
    Outcome missing = Submit.run("report", "--results", "/nonexistent/llm-sweep-results");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    Outcome run =
        Submit.run("report", "--results", SweepFixture.root().toString(), "--run-id", "nope");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("no run 'nope'"), run.err());
  }

  /**
   * Both runtimes draw the same plots: the same PNG and SVG files, the SVG's version line aside.
   */
  @Test
  void theReportsOfBothRuntimesHaveTheSamePlots() throws IOException {
    for (String name : PLOTS.keySet()) {
      List<String> jdk = Files.readAllLines(DIR.resolve(JDK + "/plots/" + name + ".svg"));
      List<String> noFonts = Files.readAllLines(DIR.resolve(NO_FONTS + "/plots/" + name + ".svg"));
      String version = "  <!-- " + Html.esc(Build.current().describe()) + " -->";
      assertTrue(
          jdk.remove(version) && noFonts.remove(version),
          name + ": the SVG names the writer's version");
      assertEquals(jdk, noFonts, name + ".svg");
      assertEquals(
          -1,
          Files.mismatch(
              DIR.resolve(JDK + "/plots/" + name + ".png"),
              DIR.resolve(NO_FONTS + "/plots/" + name + ".png")),
          name + ".png: the same bytes");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {JDK, NO_FONTS})
  void chromiumRendersTheTextAndEveryImage(String runtime) throws Exception {
    String chromium = HeadlessChromium.path();
    String html = Files.readString(html(runtime));
    // a copy of the report with a probe that records, once loaded, whether each image decoded
    // and the text as rendered (innerText follows CSS)
    String probe =
        "<script>addEventListener('load',()=>{for(const i of document.images){"
            + "i.dataset.loaded=String(i.complete&&i.naturalWidth>0);"
            + "i.dataset.pagewide=String(i.getBoundingClientRect().width>=0.9*document.body.getBoundingClientRect().width)}"
            + "const p=document.createElement('pre');p.id='rendered-text';p.textContent=document.body.innerText;"
            + "document.body.appendChild(p)})</script>";
    Path probed = DIR.resolve(runtime).resolve("report-probe.html");
    Files.writeString(probed, html.replace("</body>", probe + "</body>"));
    // one Chromium run: the DOM once loaded, and a screenshot of the page (the probe's text below
    // it)
    Path shot = DIR.resolve(runtime).resolve("report.png");
    Files.deleteIfExists(shot);
    String dom =
        HeadlessChromium.run(
            chromium,
            List.of(
                "--virtual-time-budget=10000",
                "--window-size=1200,5200",
                "--hide-scrollbars",
                "--screenshot=" + shot,
                "--dump-dom",
                probed.toUri().toString()));
    assertEquals(PLOTS.size(), SvgText.count(dom, "data-loaded=\"true\""), "every image loaded");
    assertEquals(0, SvgText.count(dom, "data-loaded=\"false\""));
    assertEquals(
        PLOTS.size(),
        SvgText.count(dom, "data-pagewide=\"true\""),
        "every plot uses the page width");
    Matcher m =
        Pattern.compile("<pre id=\"rendered-text\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "the probe ran");
    String text =
        m.group(1)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
    for (String expected :
        List.of(
            "llm-sweep report: run run-sweep",
            "Warnings",
            "only 14 of 15 planned points are committed (status failed)",
            "rest on fewer than 100 generate calls",
            "Recommendations",
            "Latency budget 2,500 ms (--budget 2.5 s)",
            "by p50: batch_size=",
            "by p99: ",
            "sweet spot (Kneedle on throughput vs p50 latency) [recommended]: batch_size=8",
            "batch_sweep",
            "seqlen_sweep",
            "sampling_sweep",
            "latency_p50_ms",
            "throughput_tok_s",
            "Generated tokens per second of wall time",
            "labelled bs=N",
            "Wall time of one generate call, p50 and p99",
            "The same in every row: ",
            "every latency in this report is in ms, every throughput in tok/s",
            "14 of 15 committed",
            "local-cluster[2,1,1024]",
            "node<&>1",
            "Fake GPU",
            "Metric definitions",
            "ttft=",
            "quantiles: ")) {
      assertTrue(text.contains(expected), "rendered text lacks '" + expected + "'");
    }
    // the fixture's 3 calls a point leave some intervals unbounded: the caption says which case it
    // is
    assertTrue(
        text.contains("Vertical bars: 95% intervals") || text.contains("No interval is bounded"),
        "error bars");
    // the new plots, by their titles (the images' alt text)
    for (String title : List.of("Throughput by batch size: ", "Latency against throughput: ")) {
      assertTrue(dom.contains("alt=\"" + title), "an image titled " + title);
    }
    // one unit per quantity: no latency in seconds, no other throughput unit
    for (String other : List.of("latency_p50_s", "latency_mean_s", "tokens/s")) {
      assertFalse(text.contains(other), "rendered text has '" + other + "'");
    }
    // tables lead with the swept axis and the answers: batch_size, then TTFT, latency, throughput
    Matcher header =
        Pattern.compile(
                "(?m)^(?:experiment\t)?batch_size\tttft_p50_ms\tttft_p99_ms\tlatency_p50_ms\t"
                    + "latency_p99_ms\tthroughput_tok_s")
            .matcher(text);
    assertTrue(
        header.find(),
        "batch table header: " + text.lines().filter(l -> l.contains("ttft_p50_ms")).toList());

    BufferedImage img = ImageIO.read(shot.toFile());
    assertNotNull(img, "the screenshot decodes");
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 4) {
      for (int x = 0; x < img.getWidth(); x += 4) {
        colours.add(img.getRGB(x, y) & 0xffffff);
      }
    }
    assertTrue(colours.size() > 50, "the screenshot is not blank: " + colours.size() + " colours");
  }

  /** Whether this JVM loads the JDK's fonts, as {@link NoFontsRuntime#main} says it. */
  private static String fonts() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream was = System.out;
    System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      NoFontsRuntime.main(new String[0]);
    } finally {
      System.setOut(was);
    }
    return out.toString(StandardCharsets.UTF_8).trim();
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
