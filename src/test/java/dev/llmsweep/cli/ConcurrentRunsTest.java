package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real sweeps of the tiny model started at the same time into one results root, as two
 * scheduled {@code submit} processes would: both complete with their own run ids, every point
 * committed once, and neither takes the other (still running) as its {@code previous} baseline. A
 * third run afterwards (in this JVM: it runs alone) compares itself with the later of the two. The
 * job is the smallest that shows it: two points, one fixed warm-up call each, no model warm-up.
 */
class ConcurrentRunsTest {
  @TempDir Path dir;

  static final String JOB =
      """
      name = nightly
      compare { baseline = previous, threshold = 0.5 }
      experiments = [
        { name = tiny_batch, model = tiny,
          axes { batch_size = [1, 2], max_tokens = 4, prompt_tokens = 4 }, repetitions = 2,
          warmups = 1, warmup_max = 1, model_warmup_s = 0 }
      ]
      """;

  Process start(Path job, Path root, Path log) throws Exception {
    // the children's time is Spark's planning of their points table, comparison and report
    return ChildSubmit.startQuickJit(
        log, job.toString(), "--results", root.toString(), "--master", "local[1]");
  }

  static java.time.Instant started(ObjectMapper json, Path run) throws java.io.IOException {
    return java.time.Instant.parse(
        json.readTree(run.resolve("manifest.json").toFile()).get("started_at").asText());
  }

  @Test
  void twoSweepsIntoOneRootAtOnceBothCompleteIntact() throws Exception {
    Path job = Files.writeString(dir.resolve("nightly.conf"), JOB);
    Path root = dir.resolve("results");
    Process a = start(job, root, dir.resolve("a.log"));
    Process b = start(job, root, dir.resolve("b.log"));
    assertTrue(
        a.waitFor(8, TimeUnit.MINUTES) && b.waitFor(8, TimeUnit.MINUTES), "sweeps did not finish");
    String logA = Files.readString(dir.resolve("a.log"));
    String logB = Files.readString(dir.resolve("b.log"));
    // 0; 3 when one compared itself with the other and the shared cores made it slower; 4 when the
    // other's share of the CPU moved and compare said the machine changed
    assertTrue(verdictSaid(a.exitValue(), logA), logA);
    assertTrue(verdictSaid(b.exitValue(), logB), logB);
    List<Path> runs;
    try (Stream<Path> s = Files.list(root)) {
      runs = s.sorted().toList();
    }
    assertEquals(2, runs.size(), "two runs: " + runs);
    ObjectMapper json = new ObjectMapper();
    for (Path run : runs) {
      JsonNode m = json.readTree(run.resolve("manifest.json").toFile());
      assertEquals("completed", m.get("status").asText(), run.toString());
      assertEquals(2, m.get("points_committed").asInt());
      assertEquals(
          2, m.get("points_run").asInt(), "each run ran its own points, none taken as resumed");
      try (Stream<Path> points = Files.list(run.resolve("raw"))) {
        assertEquals(2, points.count());
      }
      assertTrue(
          Files.exists(run.resolve("runs/run.parquet"))
              && Files.exists(run.resolve("points/_SUCCESS")));
    }
    // each compares with nothing, or with the other only if that one started earlier and had
    // completed;
    // a still-running run is never a baseline
    String first =
        started(json, runs.get(0)).isBefore(started(json, runs.get(1)))
            ? runs.get(0).getFileName().toString()
            : runs.get(1).getFileName().toString();
    String later =
        runs.get(0).getFileName().toString().equals(first)
            ? runs.get(1).getFileName().toString()
            : runs.get(0).getFileName().toString();
    for (String log : List.of(logA, logB)) {
      assertTrue(
          log.contains("nothing to compare with") || log.contains(" with baseline " + first + ":"),
          log);
    }

    TestSpark.stopAnyContext(); // the third run starts its own local[1], as the children did
    Outcome c = Submit.run(job.toString(), "--results", root.toString(), "--master", "local[1]");
    String logC = c.out() + c.err();
    // c ran alone, its baseline beside another run: often 4 ("inconclusive: the machine changed")
    assertTrue(verdictSaid(c.code(), logC), logC);
    assertTrue(
        logC.contains(" with baseline " + later + ":"),
        "previous = the later completed run " + later + "\n" + logC);
    try (Stream<Path> s = Files.list(root)) {
      Path third = s.filter(p -> !runs.contains(p)).findFirst().orElseThrow();
      assertTrue(
          Files.exists(third.resolve("comparisons/" + later + "/_SUCCESS")),
          "comparisons table written");
      assertEquals(
          "completed",
          json.readTree(third.resolve("manifest.json").toFile()).get("status").asText());
    }
  }

  /** Exit 0, 3 or 4 of a sweep that compared itself, with the line that says which. */
  private static boolean verdictSaid(int exit, String log) {
    return switch (exit) {
      case 0 ->
          log.contains("no significant regression") || log.contains("nothing to compare with");
      case 3 -> log.contains("REGRESSION");
      case 4 -> log.contains("inconclusive");
      default -> false;
    };
  }
}
