package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.SweepFixture;
import dev.llmsweep.analysis.TestSpark;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report of a known run (the analysis tests' sweep fixture, with a manifest saying one
 * planned point is missing) written by {@link Reports#write}, then opened in headless Chromium:
 * the rendered text holds the tables, recommendations, setup and warnings, every image loaded,
 * and a screenshot is kept at target/report-test/report.png. Fails, never skips, without Chromium.
 */
@SparkOnly
class ReportBrowserTest {
  static final Path DIR = Path.of("target/report-test").toAbsolutePath();
  static Path report;
  static String html;

  @BeforeAll
  static void writeReport() throws IOException {
    Path root = SweepFixture.root();
    Files.writeString(root.resolve(SweepFixture.RUN).resolve("manifest.json"), manifest(), StandardCharsets.UTF_8);
    Files.createDirectories(DIR);
    report = DIR.resolve("report.html");
    String written = Reports.write(TestSpark.newSession(), root.toString(), SweepFixture.RUN, 2.5, report.toString());
    assertTrue(written.endsWith("report-test/report.html"), written);
    html = Files.readString(report);
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

  /** Every plot of the fixture run: its batch, length and sampling experiments. */
  static final List<String> PLOTS = List.of("latency-by-batch-1", "throughput-by-batch-1", "latency-vs-throughput-1",
      "sweet-spot-1", "latency-by-length-1", "latency-by-sampling-1", "itl-cdf-1");

  @Test
  void selfContainedAndPlotsWritten() throws IOException {
    assertFalse(Pattern.compile("(?i)<script|<link|\\b(src|href)=\"(?!data:|#)|url\\(").matcher(html).find(),
        "nothing fetched: no scripts, stylesheets, or non-data sources");
    int images = count(html, "<img ");
    assertEquals(PLOTS.size(), images, "plots: " + PLOTS);
    assertEquals(images, count(html, "src=\"data:image/png;base64,"));
    Path plots = SweepFixture.root().resolve(SweepFixture.RUN).resolve("plots");
    for (String name : PLOTS) {
      assertNotNull(ImageIO.read(plots.resolve(name + ".png").toFile()), name + ".png");
      assertTrue(Files.readString(plots.resolve(name + ".svg")).contains("<svg"), name + ".svg");
    }
    // the latency-throughput plot labels every batch size of the curve
    String labels = Files.readString(plots.resolve("latency-vs-throughput-1.svg"));
    for (int batch : SweepFixture.BATCH) {
      assertTrue(labels.contains("bs=" + batch), "bs=" + batch + " labelled");
    }
    assertTrue(html.contains("node&lt;&amp;&gt;1"), "text is escaped");
  }

  @Test
  void chromiumRendersTheTextAndEveryImage() throws Exception {
    String chromium = chromium();
    // a copy of the report with a probe that records, once loaded, whether each image decoded
    // and the text as rendered (innerText follows CSS)
    String probe = "<script>addEventListener('load',()=>{for(const i of document.images){"
        + "i.dataset.loaded=String(i.complete&&i.naturalWidth>0);"
        + "i.dataset.pagewide=String(i.getBoundingClientRect().width>=0.9*document.body.getBoundingClientRect().width)}"
        + "const p=document.createElement('pre');p.id='rendered-text';p.textContent=document.body.innerText;"
        + "document.body.appendChild(p)})</script>";
    Path probed = DIR.resolve("report-probe.html");
    Files.writeString(probed, html.replace("</body>", probe + "</body>"));
    String dom = run(chromium, List.of("--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString()));
    assertEquals(PLOTS.size(), count(dom, "data-loaded=\"true\""), "every image loaded");
    assertEquals(0, count(dom, "data-loaded=\"false\""));
    assertEquals(PLOTS.size(), count(dom, "data-pagewide=\"true\""), "every plot uses the page width");
    Matcher m = Pattern.compile("<pre id=\"rendered-text\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "the probe ran");
    String text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    for (String expected : List.of("llm-sweep report: run run-sweep", "Warnings",
        "only 14 of 15 planned points are committed (status failed)", "rest on fewer than 100 generate calls",
        "Recommendations", "Latency budget 2,500 ms (--budget 2.5 s)", "by p50: batch_size=", "by p99: ",
        "sweet spot (Kneedle on throughput vs p50 latency) [recommended]: batch_size=8",
        "batch_sweep", "seqlen_sweep", "sampling_sweep", "latency_p50_ms", "throughput_tok_s",
        "Generated tokens per second of wall time", "labelled bs=N",
        "Wall time of one generate call, p50 and p99", "The same in every row: ",
        "every latency in this report is in ms, every throughput in tok/s",
        "14 of 15 committed", "local-cluster[2,1,1024]", "node<&>1", "Fake GPU", "Metric definitions",
        "ttft=", "quantiles: ")) {
      assertTrue(text.contains(expected), "rendered text lacks '" + expected + "'");
    }
    // the fixture's 3 calls a point leave some intervals unbounded: the caption says which case it is
    assertTrue(text.contains("Vertical bars: 95% intervals") || text.contains("No interval is bounded"), "error bars");
    // the new plots, by their titles (the images' alt text)
    for (String title : List.of("Throughput by batch size: ", "Latency against throughput: ")) {
      assertTrue(dom.contains("alt=\"" + title), "an image titled " + title);
    }
    // one unit per quantity: no latency in seconds, no other throughput unit
    for (String other : List.of("latency_p50_s", "latency_mean_s", "tokens/s")) {
      assertFalse(text.contains(other), "rendered text has '" + other + "'");
    }
    // tables lead with the swept axis and the answers: batch_size, then TTFT, latency, throughput
    Matcher header = Pattern.compile("(?m)^(?:experiment\t)?batch_size\tttft_p50_ms\tttft_p99_ms\tlatency_p50_ms\t"
        + "latency_p99_ms\tthroughput_tok_s").matcher(text);
    assertTrue(header.find(), "batch table header: " + text.lines().filter(l -> l.contains("ttft_p50_ms")).toList());

    Path shot = DIR.resolve("report.png");
    Files.deleteIfExists(shot);
    run(chromium, List.of("--window-size=1200,5200", "--hide-scrollbars", "--screenshot=" + shot,
        report.toUri().toString()));
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

  /** Chromium on the PATH (or $CHROMIUM); a clear failure when it is missing. */
  static String chromium() {
    String env = System.getenv("CHROMIUM");
    if (env != null && new File(env).canExecute()) {
      return env;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (new File(dir, name).canExecute()) {
          return new File(dir, name).getPath();
        }
      }
    }
    return fail("headless Chromium is needed to check the report: install it (Debian: apt-get install -y"
        + " chromium, as .ci/run does) or point $CHROMIUM at it");
  }

  /** Runs headless Chromium offline with its own profile; returns stdout. */
  static String run(String chromium, List<String> args) throws Exception {
    Path profile = Files.createTempDirectory("llm-sweep-chromium");
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("chromium did not finish in 120 s: " + Files.readString(err));
      }
      assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
