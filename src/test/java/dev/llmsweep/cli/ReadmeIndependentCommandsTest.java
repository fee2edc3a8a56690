package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.Fixtures;
import dev.llmsweep.Gpu;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.cli.Submit.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands that read no shared run: the engine alone ({@code generate}, {@code
 * bench-engine}), {@code plan} and {@code bench-views} (its own synthetic rows), each at its
 * smallest size: it exits 0 and prints what the README says it prints. Those whose launcher path
 * differs from the in-process one (the engine-only classpath of generate and bench-engine, plan's
 * bare output) run through {@code ./submit} itself, in a child process. {@link ReadmeCoverageTest}
 * checks that every README command has such a test, here or in {@link ReadmeCommandsTest}.
 */
class ReadmeIndependentCommandsTest {
  @TempDir static Path dir;

  // ---- the engine alone ----

  @Test
  void generateATinyModelPrompt() throws Exception {
    Outcome o =
        ReadmeLauncher.launch(
            dir,
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

  @Test
  void benchEngineOnThisCpu() throws Exception {
    Outcome o =
        ReadmeLauncher.launch(
            dir,
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
    assumeTrue(ReadmeLauncher.hasGpu(), "no NVIDIA GPU here");
    Outcome o =
        ReadmeLauncher.launch(
            dir,
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

  // ---- the job file, the views ----

  @Test
  void planPrintsThePointsAndTheWork() throws Exception {
    Outcome o =
        ReadmeLauncher.launch(
            dir, "plan", "jobs/notebook.conf", "--conf-profile", "standalone-gpu");
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
}
