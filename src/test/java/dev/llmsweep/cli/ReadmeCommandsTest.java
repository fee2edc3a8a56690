package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.Fixtures;
import dev.llmsweep.Gpu;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.cli.Submit.Outcome;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command line in the README's {@code bash} blocks, run at the smallest size that still takes
 * its real code path: it exits 0 and prints what the README says it prints. A README command that
 * no test runs fails {@link #everyReadmeCommandIsRunHere}, so a new or changed command comes with
 * its smoke test.
 *
 * <p>The work is shared where it is the same: one quickstart run (then the same command again,
 * which resumes it) and one bench-harness run of the same job fill one results root, which sql,
 * recommend, aggregate, report and compare read; the three runs come first, so the commands after
 * them share one Spark context. The quickstart runs at its smallest size: {@link #job}, the
 * quickstart's job file with shorter outputs (the same 17 points, batch sizes and repetitions).
 * Commands whose launcher path differs from the in-process one (the engine-only classpath of
 * generate and bench-engine, the sql shell's log routing, plan's bare output) run through {@code
 * ./submit} itself, in a child process; the rest in this JVM.
 */
class ReadmeCommandsTest {
  /** README command lines run by a test method of this class: line to method. */
  private static final Map<String, String> RUN_HERE =
      Map.ofEntries(
          Map.entry(
              "./submit jobs/quickstart.conf",
              "quickstartCommitsEveryPointAndEndsAsTheReadmeShows"),
          Map.entry(
              "./submit jobs/quickstart.conf [--results ROOT] [--run-id ID]",
              "quickstartCommitsEveryPointAndEndsAsTheReadmeShows"),
          Map.entry(
              "./submit plan jobs/notebook.conf --conf-profile standalone-gpu",
              "planPrintsThePointsAndTheWork"),
          Map.entry("./submit sql --results results", "sqlListsEveryView"),
          Map.entry(
              "./submit sql \"SELECT batch_size, ttft_p50_ms, ttft_p99_ms, latency_p50_s, latency_p99_s,"
                  + " throughput_tokens_per_s FROM batch_sweep ORDER BY batch_size\"",
              "sqlRunsTheReadmeQuery"),
          Map.entry(
              "./submit recommend --budget 2.5 [--by p50|p99|both] [--run-id ID]",
              "recommendAnswersABudget"),
          Map.entry("./submit aggregate [--run-id ID]", "aggregateRewritesThePoints"),
          Map.entry(
              "./submit generate --prompt \"The future of AI is\" --max-tokens 32 --temperature 0.7 --top-p 0.9"
                  + " --seed 1",
              "generateATinyModelPrompt"),
          Map.entry(
              "./submit generate --model path/to/hf-model --input-ids \"1,2,3;1,5,9,4\" --max-tokens 20 --json",
              "generateJsonForABatchFromAModelDirectory"),
          Map.entry(
              "./submit generate --model synthetic:bench-110m --input-ids \"1,2,3\" --max-tokens 16 --ignore-eos",
              "generateASyntheticPresetToTheFullLength"),
          Map.entry(
              "./submit report [--results ROOT] [--run-id ID] [--out FILE] [--budget 2.5]",
              "reportWritesTheHtmlWhereAsked"),
          Map.entry(
              "./submit compare --run A --baseline B|previous [--results ROOT] [--threshold 0.10]",
              "compareJudgesARunAgainstThePreviousOne"),
          Map.entry("./submit bench-engine", "benchEngineOnThisCpu"),
          Map.entry(
              "./submit bench-engine --model synthetic:mistral-7b-v0.3 --device gpu:0 --batches 1,32,128",
              "benchEngineOnAGpu"),
          Map.entry("./submit bench-harness", "benchHarnessReportsTheEngineShare"),
          Map.entry("./submit bench-views --rows 10000000", "benchViewsBuildsEveryView"));

  /**
   * A README command that cannot run in a test: the test class covering what it does (if any), and
   * why.
   */
  private record Elsewhere(String testClass, String why) {}

  /** README command lines that cannot run inside the test JVM. */
  private static final Map<String, Elsewhere> ELSEWHERE =
      Map.of(
          "./run-tests",
          new Elsewhere(null, "it is the test run itself (.ci/run calls it)"),
          "SPARK_HOME=/opt/spark ./submit jobs/notebook.conf --conf-profile standalone-gpu --master spark://host:7077",
          new Elsewhere(
              "spark.ClusterSweepTest",
              "needs a standalone cluster with GPU workers and a Spark"
                  + " distribution; the sweep on a real multi-executor cluster is ClusterSweepTest, fake GPU addresses"
                  + " FakeGpuSweepTest, the profile SparkSettingsTest, the job file planPrintsThePointsAndTheWork"),
          "LLM_SWEEP_ENDPOINT=http://127.0.0.1:8000/v1 LLM_SWEEP_MODEL=my-model ./submit jobs/endpoint-quickstart.conf",
          new Elsewhere(
              "cli.EndpointQuickstartTest",
              "needs a running OpenAI-compatible server; EndpointQuickstartTest"
                  + " runs this job file against one it starts (its endpoint set as LLM_SWEEP_ENDPOINT does)"),
          "./submit recommend --rate 500 [--run-id ID]",
          new Elsewhere(
              "cli.EndpointQuickstartTest",
              "needs a run with open-loop sweeps, so a server:"
                  + " EndpointQuickstartTest runs recommend --rate 500 on the endpoint quickstart's run"),
          "./submit bench-client",
          new Elsewhere(
              "bench.ClientBenchmarkTest",
              "its figures are for a quiet machine; ClientBenchmarkTest runs the"
                  + " harness small and checks what it counts"),
          "spark-sql --hiveconf results=/data/results --hiveconf run=RUN_ID -i conf/views.sql",
          new Elsewhere(
              "analysis.ViewsTest",
              "spark-sql comes with a Spark distribution; ViewsTest loads"
                  + " conf/views.sql into a plain session exactly so (SET results, SET run, the file's statements)"));

  @TempDir static Path dir;

  /**
   * jobs/quickstart.conf with each experiment's max_tokens cut (32 to 8, 8..64 to 2..16, 16 to 4):
   * its points, batch sizes, prompts and repetitions as they are, its decode steps a quarter.
   */
  static Path job;

  private static Outcome quickstart;
  private static Outcome resumed;
  private static Outcome harness;

  /**
   * The three runs of the shared root, first: each starts and stops its own local[1] session, so
   * the analysis commands after them share one context instead of starting one after each.
   */
  @BeforeAll
  static void runs() throws Exception {
    String small = Files.readString(Path.of("jobs/quickstart.conf"));
    for (String[] cut :
        List.of(
            new String[] {"max_tokens = 32\n", "max_tokens = 8\n"},
            new String[] {"max_tokens = [8, 16, 32, 64]", "max_tokens = [2, 4, 8, 16]"},
            new String[] {"max_tokens = 16\n", "max_tokens = 4\n"})) {
      assertEquals(
          1,
          small.split(Pattern.quote(cut[0]), -1).length - 1,
          "jobs/quickstart.conf changed: cut " + cut[0].strip() + " where?");
      small = small.replace(cut[0], cut[1]);
    }
    job =
        Files.writeString(
            Files.createDirectories(dir.resolve("jobs")).resolve("quickstart.conf"), small);
    if (quickstart().code() == 0) {
      resumed();
    }
    harness();
  }

  // ---- the README's commands are all here ----

  @Test
  void everyReadmeCommandIsRunHere() throws Exception {
    Set<String> readme = new TreeSet<>(Readme.commands());
    Set<String> covered = new TreeSet<>(RUN_HERE.keySet());
    covered.addAll(ELSEWHERE.keySet());
    Set<String> untested = new TreeSet<>(readme);
    untested.removeAll(covered);
    Set<String> stale = new TreeSet<>(covered);
    stale.removeAll(readme);
    assertTrue(
        untested.isEmpty(),
        "README commands without a smoke test (add one to this class): " + untested);
    assertTrue(stale.isEmpty(), "smoke tests of commands the README no longer shows: " + stale);
    for (String method : RUN_HERE.values()) {
      Method m = ReadmeCommandsTest.class.getDeclaredMethod(method);
      assertTrue(m.isAnnotationPresent(Test.class), method + " is not a test");
    }
    for (Elsewhere e : ELSEWHERE.values()) {
      if (e.testClass() != null) {
        Class.forName("dev.llmsweep." + e.testClass()); // it still exists
      }
    }
  }

  // ---- the sweep job ----

  @Test
  void quickstartCommitsEveryPointAndEndsAsTheReadmeShows() throws Exception {
    Outcome o = quickstart();
    assertEquals(0, o.code(), o.err() + o.out());
    String run = quickstartRun();
    assertTrue(
        o.out().contains("[llm-sweep] run " + run + ": 17 points (0 already committed)"), o.out());
    assertTrue(o.out().contains("17/17 points"), "a progress line per point: " + o.out());
    List<String> out = o.out().lines().toList();
    int from = 0;
    for (String example : Readme.blockAfter("ends with where its results are")) {
      Pattern p = Readme.example(example);
      int at = from;
      while (at < out.size() && !p.matcher(out.get(at)).matches()) {
        at++;
      }
      assertTrue(
          at < out.size(),
          "README example line\n  " + example + "\nnot printed (in order) in:\n" + o.out());
      from = at + 1;
    }
    JsonNode m = new ObjectMapper().readTree(root().resolve(run + "/manifest.json").toFile());
    assertEquals("completed", m.get("status").asText());
    assertEquals(17, m.get("points_committed").asInt());
    assertEquals("local[1]", m.get("spark_master").asText());
    try (Stream<Path> points = Files.list(root().resolve(run + "/raw"))) {
      assertEquals(17, points.count());
    }
    // --run-id ID: the same command again resumes the completed run and runs nothing
    Outcome again = resumed();
    assertEquals(0, again.code(), again.err());
    assertTrue(
        again.out().contains("[llm-sweep] run " + run + ": 0 points (17 already committed)"),
        again.out());
    assertTrue(again.out().contains("17 points committed (0 ran now, 17 resumed)"), again.out());
  }

  @Test
  void planPrintsThePointsAndTheWork() throws Exception {
    Outcome o = launch("plan", "jobs/notebook.conf", "--conf-profile", "standalone-gpu");
    assertEquals(0, o.code(), o.err());
    assertEquals("", o.err(), "nothing but the plan: no JVM or library notices");
    List<String> lines = o.out().lines().toList();
    assertTrue(
        lines.get(0).matches("job \\S+ \\(jobs/notebook\\.conf\\), sha256 [0-9a-f]{16}"),
        lines.get(0));
    Matcher total =
        Pattern.compile(
                "(\\d+) points, \\d+ generate calls, [\\d,]+ requests, [\\d,]+ prompt tokens,"
                    + " at most [\\d,]+ generated tokens")
            .matcher(lines.get(lines.size() - 1));
    assertTrue(total.matches(), lines.get(lines.size() - 1));
    long points =
        lines.stream().filter(l -> l.matches("\\s*\\d+ {2}\\S+\\s+[0-9a-f]{16} .*")).count();
    assertEquals(Long.parseLong(total.group(1)), points, o.out());
  }

  // ---- answers: SQL views and recommendations ----

  @Test
  void sqlListsEveryView() throws Exception {
    // the shell through the launcher, as typed in a terminal but piped: \d, \d VIEW, then two
    // statements
    Outcome o =
        launchWithInput(
            "\\d\n\\d batch_sweep\nSELECT count(*) AS n\n  FROM points;\n"
                + "SELECT DISTINCT run_id FROM points;\n",
            "sql",
            "--results",
            results().toString());
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    for (String view : Views.NAMES) {
      // every view, the empty failures and comparisons too (the run was never compared: no
      // comparisons/)
      assertTrue(
          lines.stream().anyMatch(l -> l.matches(view + " \\(\\d+ columns\\)")),
          view + " not listed in:\n" + o.out() + o.err());
    }
    assertFalse(
        Files.exists(root().resolve(quickstartRun() + "/comparisons")),
        "no empty comparisons/ per run");
    assertTrue(lines.contains("  latency_p99_s double"), o.out());
    assertTrue(lines.contains("17"), "the points of the latest run only: " + o.out());
    assertEquals(
        1,
        lines.stream().filter(l -> l.matches("\\d{8}-\\d{6}-\\w+")).count(),
        "one run: " + o.out());
    // ordinary output: the answers, their row counts and times, and where Spark's log lines went
    for (String l : o.err().lines().toList()) {
      assertTrue(
          l.matches("\\(1 row, [\\d.]+ s\\)")
              || l.startsWith("[llm-sweep] Spark's and the libraries' log" + " lines: ")
              || l.startsWith("aggregated run "),
          "not llm-sweep's line on stderr: " + l + "\n" + o.err());
    }
  }

  @Test
  void sqlRunsTheReadmeQuery() {
    Outcome o =
        Submit.run(
            "sql",
            "SELECT batch_size, ttft_p50_ms, ttft_p99_ms, latency_p50_s, latency_p99_s,"
                + " throughput_tokens_per_s FROM batch_sweep ORDER BY batch_size",
            "--results",
            results().toString());
    assertEquals(0, o.code(), o.err());
    List<String> lines = o.out().lines().toList();
    assertEquals(
        "batch_size | ttft_p50_ms | ttft_p99_ms | latency_p50_s | latency_p99_s | throughput_tokens_per_s",
        lines.get(0).replaceAll(" +\\|", " |"));
    List<Integer> batches =
        lines.stream()
            .skip(2)
            .map(l -> l.split("\\|")[0].strip())
            .filter(s -> s.matches("\\d+"))
            .map(Integer::parseInt)
            .toList();
    assertEquals(
        List.of(1, 4, 16, 64),
        batches.stream().distinct().toList(),
        "the quickstart's batch sizes: " + o.out());
    assertTrue(o.err().contains("rows)"), "the row count on stderr: " + o.err());
  }

  @Test
  void recommendAnswersABudget() {
    String run = quickstartRun();
    Outcome o =
        Submit.run(
            "recommend",
            "--budget",
            "2.5",
            "--by",
            "both",
            "--run-id",
            run,
            "--results",
            root().toString());
    assertEquals(0, o.code(), o.err());
    String answer =
        "(batch_size=\\d+ \\(experiment \\w+, .*\\): p(50|99) latency [\\d.]+ s, throughput [\\d.]+"
            + " tokens/s.*|nothing fits a 2\\.500 s budget.*"
            // on a machine that swings while a point runs, its probes may leave every point out
            + "|nothing to recommend: every measured point was left out.*)";
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.equals(
                        "run "
                            + run
                            + ": latency budget 2.500 s on the batch latency"
                            + " (wall time of one generate call)")),
        o.out());
    assertTrue(o.out().lines().anyMatch(l -> l.strip().matches("by p50: " + answer)), o.out());
    assertTrue(o.out().lines().anyMatch(l -> l.strip().matches("by p99: " + answer)), o.out());
    // unstable points (their measured calls drifted: common on a shared machine) leave the curve
    boolean spot =
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.strip()
                        .matches(
                            "sweet spot \\(Kneedle .*\\) \\[recommended\\]:"
                                + " batch_size=\\d+ .*on a curve of \\d+ points.*"));
    assertTrue(
        spot
            || o.out()
                .contains("no sweet spot: no experiment sweeps at least 3 batch sizes of stable"),
        o.out());
    assertTrue(
        !spot
            || o.out()
                .lines()
                .anyMatch(
                    l -> l.strip().matches("sweet spot \\(notebook rule.*\\): batch_size=\\d+ .*")),
        o.out());
    // under each answer, what its 95% intervals leave open: a range or the batch size alone; a tie
    // or a clear winner
    assertTrue(
        !spot
            || o.out()
                .lines()
                .anyMatch(
                    l ->
                        l.matches(
                            "    batch (\\d+ alone: .*|[\\d–, and]+: the curve is flat"
                                + " within its 95% intervals .*|[\\d, and]+: their scores overlap .*)")),
        o.out());
    // the ranges line comes with an answer; a run whose probes left every point out has none
    boolean answered =
        o.out()
            .lines()
            .anyMatch(l -> l.strip().matches("by p(50|99): (batch_size=|nothing fits).*"));
    assertTrue(
        !answered
            || o.out()
                .lines()
                .anyMatch(
                    l ->
                        l.matches(
                            "    (a clear winner: .*|cannot be told apart within the 95%"
                                + " intervals .*|nothing fits within the 95% intervals either|within their 95% intervals these may fit.*)")),
        o.out());
  }

  @Test
  void aggregateRewritesThePoints() {
    String run = quickstartRun();
    Outcome o = Submit.run("aggregate", "--run-id", run, "--results", root().toString());
    assertEquals(0, o.code(), o.err());
    assertEquals(
        "run "
            + run
            + ": 17 points aggregated into "
            + root()
                .resolve(run + "/points")
                .toUri()
                .toString()
                .replaceFirst("^file:///", "file:/")
                .replaceFirst("/$", ""),
        o.out().strip());
  }

  // ---- the engine alone ----

  @Test
  void generateATinyModelPrompt() throws Exception {
    Outcome o =
        launch(
            "generate",
            "--prompt",
            "The future of AI is",
            "--max-tokens",
            "32",
            "--temperature",
            "0.7",
            "--top-p",
            "0.9",
            "--seed",
            "1");
    assertEquals(0, o.code(), o.err());
    assertEquals("", o.err(), "no JVM, SLF4J or library notices");
    assertGenerated(o.out(), 1, 32, false);
  }

  @Test
  void generateJsonForABatchFromAModelDirectory() throws Exception {
    Outcome o =
        Submit.run(
            "generate",
            "--model",
            Fixtures.dir("tiny-llama").toString(),
            "--input-ids",
            "1,2,3;1,5,9,4",
            "--max-tokens",
            "20",
            "--json");
    assertEquals(0, o.code(), o.err());
    JsonNode json = new ObjectMapper().readTree(o.out());
    assertEquals(2, json.get("requests").size(), o.out());
    int longest = 0;
    for (JsonNode r : json.get("requests")) {
      int n = r.get("new_token_ids").size();
      longest = Math.max(longest, n);
      assertTrue(n >= 1 && n <= 20, o.out());
      assertTrue(
          Set.of("eos", "stop_string", "length").contains(r.get("finish_reason").asText()),
          o.out());
      assertTrue(
          r.get("e2e_ms").asDouble() >= r.get("ttft_ms").asDouble()
              && r.get("ttft_ms").asDouble() > 0,
          o.out());
      assertTrue(r.has("tpot_ms") && !r.has("text"), "no tokenizer.json, no text: " + o.out());
    }
    assertTrue(json.get("prefill_ms").asDouble() > 0, o.out());
    assertEquals(longest - 1, json.get("decode_ms").size(), o.out());
  }

  @Test
  void generateASyntheticPresetToTheFullLength() {
    Outcome o =
        Submit.run(
            "generate",
            "--model",
            "synthetic:bench-110m",
            "--input-ids",
            "1,2,3",
            "--max-tokens",
            "16",
            "--ignore-eos");
    assertEquals(0, o.code(), o.err());
    assertGenerated(o.out(), 1, 16, true);
  }

  /** Plain generate output: per request its tokens and timings, then one batch line. */
  private static void assertGenerated(String out, int requests, int maxTokens, boolean fullLength) {
    List<String> lines = out.lines().toList();
    Pattern timings =
        Pattern.compile(
            " {4}(\\d+) tokens, finish=(eos|stop_string|length), ttft=[\\d.]+ ms,"
                + " tpot=[\\d.]+ ms, e2e=[\\d.]+ ms");
    int found = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = timings.matcher(lines.get(i));
      if (m.matches()) {
        assertTrue(lines.get(i - 1).startsWith("[" + found + "] "), out);
        int tokens = Integer.parseInt(m.group(1));
        assertTrue(
            fullLength
                ? tokens == maxTokens && m.group(2).equals("length")
                : tokens >= 1 && tokens <= maxTokens,
            out);
        found++;
      }
    }
    assertEquals(requests, found, out);
    assertTrue(
        lines
            .get(lines.size() - 1)
            .matches("prefill [\\d.]+ ms, \\d+ decode steps, batch [\\d.]+ ms," + " [\\d.]+ tok/s"),
        out);
  }

  // ---- the report, comparisons ----

  @Test
  void reportWritesTheHtmlWhereAsked() throws Exception {
    String run = quickstartRun();
    Path html = dir.resolve("report/r.html");
    Outcome o =
        Submit.run(
            "report",
            "--results",
            root().toString(),
            "--run-id",
            run,
            "--out",
            html.toString(),
            "--budget",
            "2.5");
    assertEquals(0, o.code(), o.err());
    assertTrue(
        o.out().strip().matches("report of run " + run + ": .*" + Pattern.quote(html.toString())),
        o.out());
    String page = Files.readString(html);
    assertTrue(
        page.startsWith("<!DOCTYPE html>")
            && page.contains("<h1>llm-sweep report: run " + run + "</h1>"));
    assertTrue(page.contains("<img src=\"data:image/png;base64,"), "plots embedded");
  }

  @Test
  void compareJudgesARunAgainstThePreviousOne() {
    String baseline = quickstartRun();
    String run = harnessRun();
    Outcome o =
        Submit.run(
            "compare",
            "--run",
            run,
            "--baseline",
            "previous",
            "--results",
            root().toString(),
            "--threshold",
            "0.10");
    // two real runs on a shared machine: a figure may well be significantly slower (exit 3, as
    // documented) or changed as much as the machine did (exit 4), but the command must say so, and
    // must compare every point of the job
    assertTrue(
        o.code() == 0 || o.code() == 3 || o.code() == 4,
        "exit " + o.code() + ": " + o.err() + o.out());
    List<String> lines = o.out().lines().toList();
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "compare run " + run + " with baseline " + baseline + ": ratio = run / baseline"),
        o.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("environment of run " + run + ": ")), o.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "point +\\| metric +\\| baseline +\\| run +\\| ratio +\\| 95% CI +\\| p \\(Holm\\) +\\| verdict")),
        o.out());
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "\\d+ slower, \\d+ faster, \\d+ no significant change, \\d+"
                            + " environment, \\d+ with too few calls \\(p99 of < 100\\), \\d+ unstable, \\d+ env changed, \\d+ not"
                            + " comparable \\(figures of 17 matched points\\); comparisons table: .*")),
        o.out());
    String last = lines.get(lines.size() - 1);
    assertEquals(o.code() == 3, last.startsWith("REGRESSION: "), o.out());
    assertEquals(o.code() == 4, last.startsWith("inconclusive: the machine changed"), o.out());
    assertTrue(
        o.code() != 0 || last.equals("no significant regression against baseline " + baseline),
        o.out());
  }

  // ---- benchmarks ----

  @Test
  void benchEngineOnThisCpu() throws Exception {
    Outcome o =
        launch(
            "bench-engine",
            "--batches",
            "1,2",
            "--decode-tokens",
            "2",
            "--prefill-tokens",
            "8",
            "--repeats",
            "1");
    assertEquals(0, o.code(), o.err());
    assertEngineBenchmark(o.out(), "synthetic:bench-110m on cpu", true);
  }

  @Test
  @Gpu
  void benchEngineOnAGpu() throws Exception {
    assumeTrue(hasGpu(), "no NVIDIA GPU here");
    Outcome o =
        launch(
            "bench-engine",
            "--model",
            "synthetic:mistral-7b-v0.3",
            "--device",
            "gpu:0",
            "--batches",
            "1,2",
            "--decode-tokens",
            "2",
            "--prefill-tokens",
            "8",
            "--repeats",
            "1");
    assertEquals(0, o.code(), o.err());
    assertEngineBenchmark(o.out(), "synthetic:mistral-7b-v0.3 on gpu:0", false);
  }

  private static void assertEngineBenchmark(String out, String what, boolean cpu) {
    assertTrue(out.contains("== engine benchmark: " + what + " =="), out);
    for (String figure :
        List.of(
            "prefill +[\\d.]+ tok/s \\(8-token prompt\\)",
            "decode batch 1 +[\\d.]+ tok/s +\\([\\d.]+ ms/step, [\\d.]+ GFLOPS in projections\\)",
            "decode batch 2 +[\\d.]+ tok/s .*",
            "copy bandwidth +[\\d.]+ GB/s",
            "batch-1 vs floor +\\d+ % .*")) {
      assertTrue(out.lines().anyMatch(l -> l.matches(figure)), figure + " in:\n" + out);
    }
    if (cpu) {
      assertTrue(
          out.lines().anyMatch(l -> l.matches("FMA peak +[\\d.]+ GFLOPS float32 \\(measured\\)")),
          out);
      assertTrue(
          out.lines().anyMatch(l -> l.matches("read bandwidth +[\\d.]+ GB/s \\(measured\\)")), out);
    }
  }

  @Test
  void benchHarnessReportsTheEngineShare() throws Exception {
    Outcome o = harness();
    assertEquals(0, o.code(), o.err() + o.out());
    assertTrue(
        o.out()
            .contains(
                "== harness benchmark, round 1 of 1 (cold: first run in this JVM): "
                    + job
                    + " on local[1], 17 points =="),
        o.out());
    Matcher share =
        Pattern.compile("inside the engine \\(generate\\)\\s+([0-9.]+) s\\s+([0-9.]+) % of wall")
            .matcher(o.out());
    assertTrue(share.find(), o.out());
    double percent = Double.parseDouble(share.group(2));
    assertTrue(percent > 0 && percent <= 100, "a share of the wall time: " + percent);
    assertTrue(
        Pattern.compile("overhead per point\\s+-?[0-9.]+ ms").matcher(o.out()).find(), o.out());
    try (Stream<Path> points = Files.list(root().resolve(harnessRun() + "/raw"))) {
      assertEquals(17, points.count(), "the benchmark run is a real run");
    }
  }

  @Test
  void benchViewsBuildsEveryView() {
    Outcome o = Submit.run("bench-views", "--rows", "10000", "--points", "12");
    assertEquals(0, o.code(), o.err() + o.out());
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "bench-views: 10,000 request rows \\(70,000 ITL samples\\),"
                            + " [\\d,]+ batch rows, 12 points")),
        o.out());
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l -> l.matches(" {2}points table \\(aggregation, exact quantiles\\): [\\d.]+ s")),
        o.out());
    Pattern viewLine = Pattern.compile(" {2}view (\\w+) +[\\d.]+ s {2}\\(([\\d,]+) rows\\)");
    Map<String, Long> rows = new java.util.LinkedHashMap<>();
    o.out()
        .lines()
        .map(viewLine::matcher)
        .filter(Matcher::matches)
        .forEach(m -> rows.put(m.group(1), Long.parseLong(m.group(2).replace(",", ""))));
    assertEquals(
        Views.NAMES, List.copyOf(rows.keySet()), "every view built, in order:\n" + o.out());
    assertEquals(10_000L, rows.get("requests"));
    assertEquals(12L, rows.get("points"));
    assertTrue(
        rows.get("sweet_spot") > 0, "the synthetic batch curves have sweet spots: " + o.out());
    assertTrue(o.out().lines().noneMatch(l -> l.contains("note:")), "no view left out: " + o.out());
    assertTrue(
        o.out().lines().anyMatch(l -> l.matches(" {2}total: [\\d.]+ s \\(target <= 60 s\\)")),
        o.out());
  }

  // ---- shared runs ----

  /**
   * The results root of the shared runs (the quickstart's run is there: see {@link
   * #quickstartRun}).
   */
  private static Path root() {
    return dir.resolve("results");
  }

  /** The shared results root, after the quickstart has filled it. */
  private static Path results() {
    quickstartRun();
    return root();
  }

  /**
   * The quickstart, as the README runs it (into the shared root), once for every test that needs
   * it.
   */
  private static synchronized Outcome quickstart() {
    if (quickstart == null) {
      TestSpark.stopAnyContext(); // the run starts its own local[1]
      quickstart = Submit.run(job.toString(), "--results", root().toString());
    }
    return quickstart;
  }

  /** The quickstart's command again with its run id: it resumes the completed run. */
  private static synchronized Outcome resumed() {
    if (resumed == null) {
      String run = quickstartRun();
      TestSpark.stopAnyContext();
      resumed = Submit.run(job.toString(), "--results", root().toString(), "--run-id", run);
    }
    return resumed;
  }

  private static String quickstartRun() {
    Outcome o = quickstart();
    Matcher m = Pattern.compile("\\[llm-sweep\\] run (\\S+) completed").matcher(o.out());
    assertTrue(o.code() == 0 && m.find(), () -> "the quickstart failed: " + o.err() + o.out());
    return m.group(1);
  }

  /**
   * bench-harness, one round: a second run of the quickstart job in the shared root, after the
   * first.
   */
  private static synchronized Outcome harness() {
    if (harness == null) {
      quickstart(); // the second run of the job in the root: compare's "previous" is the first
      TestSpark.stopAnyContext();
      harness =
          Submit.run(
              "bench-harness", job.toString(), "--rounds", "1", "--results", root().toString());
    }
    return harness;
  }

  private static String harnessRun() {
    String first = quickstartRun();
    Outcome o = harness();
    assertEquals(0, o.code(), () -> "bench-harness failed: " + o.err() + o.out());
    try (Stream<Path> runs = Files.list(root())) {
      List<String> others =
          runs.map(p -> p.getFileName().toString()).filter(n -> !n.equals(first)).toList();
      assertEquals(1, others.size(), "runs under the shared root: " + others);
      return others.get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- the launcher ----

  /**
   * {@code ./submit ARGS} in a child process, as typed, with the launcher's own JVM options and
   * classpath choice; it uses {@code target/} as {@code mvn test} built it.
   */
  private static Outcome launch(String... args) throws Exception {
    return launchWithInput(null, args);
  }

  /** {@link #launch} with {@code input} (when not null) as its standard input. */
  private static Outcome launchWithInput(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("./submit"));
    command.addAll(List.of(args));
    File out = Files.createTempFile(dir, "submit", ".out").toFile();
    File err = Files.createTempFile(dir, "submit", ".err").toFile();
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
    pb.environment().put("LLM_SWEEP_NO_BUILD", "1");
    if (input != null) {
      pb.redirectInput(
          Files.writeString(Files.createTempFile(dir, "submit", ".in"), input).toFile());
    }
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(
          "./submit " + String.join(" ", args) + " did not end within 10 minutes");
    }
    return new Outcome(
        p.exitValue(),
        Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  private static boolean hasGpu() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
