package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real embedded sweep of the tiny model in a child process, SIGTERMed once two points are
 * committed, as a user stops a run: one {@code stopped:} line naming what was committed and the
 * command that resumes it, exit 1, no stack trace; the attempt is {@code stopped} and the
 * manifest's counts are the points the store holds (its executors' counts add up to them). The
 * resume ({@code submit} in this JVM) completes the run, and its manifest's counts again equal the
 * store's.
 */
class StopTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aSigtermedRunSaysWhatItCommittedAndItsManifestMatchesTheStore() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("stop.conf"),
            """
        name = stop
        defaults { model = tiny, device = cpu, ignore_eos = true, warmups = 1, warmup_max = 1, model_warmup_s = 0 }
        experiments = [
          { name = s, axes { prompt_tokens = 8, batch_size = [1, 4], max_tokens = 64, seed = [1, 2, 3, 4, 5, 6, 7, 8] }
            repetitions = 2 }
        ]
        """);
    Path root = dir.resolve("results");
    Path run = root.resolve("s1");
    Path log = dir.resolve("first.log");
    Process first = start(job, root, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (committed(run).size() < 2) {
      assertTrue(
          first.isAlive() && System.nanoTime() < deadline,
          () -> "two points committed: " + read(log));
      Thread.sleep(20);
    }
    first.destroy(); // SIGTERM
    assertTrue(first.waitFor(90, TimeUnit.SECONDS), "the driver stops on SIGTERM: " + read(log));
    String out = read(log);
    assertEquals(1, first.exitValue(), out);
    int stored = committed(run).size();
    assertTrue(stored < 16, "stopped mid-sweep: " + stored);
    List<String> stopped = out.lines().filter(l -> l.startsWith("[llm-sweep] stopped: ")).toList();
    assertEquals(1, stopped.size(), out);
    assertTrue(
        stopped
            .get(0)
            .matches(
                "\\[llm-sweep] stopped: "
                    + stored
                    + " of 16 points committed; resume with"
                    + " \\./submit "
                    + java.util.regex.Pattern.quote(job.toString())
                    + " --results \\S*"
                    + root.getFileName()
                    + " --run-id s1"),
        stopped.get(0));
    assertFalse(out.contains("\tat "), "no stack trace: " + out);

    JsonNode m = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals("stopped", m.path("status").asText(), m.toPrettyString());
    assertEquals(
        stored, m.path("points_committed").asInt(), "the manifest counts the store's points");
    JsonNode a1 = m.path("attempts").path(0);
    assertEquals("stopped", a1.path("status").asText());
    assertEquals(stored, a1.path("points_committed").asInt());
    assertEquals(committed(run), ids(a1.path("point_ids")));
    assertEquals(stored, executorPoints(a1), "per-executor counts add up: " + a1);

    // the resume in this JVM: only the stop needs a process of its own to signal, and a child
    // would start a second JVM and Spark, cold, for the same command
    TestSpark.stopAnyContext(); // the run starts its own local[1], as the child did
    Outcome resume = Submit.run(job.toString(), "--results", root.toString(), "--run-id", "s1");
    assertEquals(0, resume.code(), resume.out() + resume.err());
    JsonNode r = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals("completed", r.path("status").asText());
    assertEquals(16, committed(run).size());
    assertEquals(16, r.path("points_committed").asInt());
    assertEquals(16 - stored, r.path("points_run").asInt());
    JsonNode attempts = r.path("attempts");
    assertEquals(
        List.of("stopped", "completed"),
        List.of(attempts.get(0).path("status").asText(), attempts.get(1).path("status").asText()));
    int total = 0;
    for (JsonNode a : attempts) {
      assertEquals(
          a.path("points_committed").asInt(),
          executorPoints(a),
          "per-executor counts add up: " + a);
      total += a.path("points_committed").asInt();
    }
    assertEquals(16, total, "the attempts' counts add up to the store's: " + attempts);
  }

  /**
   * {@code Main RUN --results ROOT --run-id s1} in a child JVM on this classpath, embedded
   * (local[1]).
   */
  private static Process start(Path job, Path root, Path log) throws IOException {
    return ChildSubmit.start(log, job.toString(), "--results", root.toString(), "--run-id", "s1");
  }

  static TreeSet<String> committed(Path run) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    Path raw = run.resolve("raw");
    if (Files.isDirectory(raw)) {
      try (Stream<Path> s = Files.list(raw)) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("p-"))
            .forEach(n -> out.add(n.substring(2)));
      }
    }
    return out;
  }

  static TreeSet<String> ids(JsonNode array) {
    TreeSet<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static int executorPoints(JsonNode attempt) {
    int n = 0;
    for (JsonNode e : attempt.path("executors")) {
      n += e.path("points").asInt();
    }
    return n;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no " + log + ")";
    }
  }
}
