package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as a user types it: {@code ./submit jobs/quickstart.conf --results ROOT --run-id ID}
 * (embedded Spark with conf/local-cpu.properties) commits all 17 points and says where they are;
 * the same command again resumes the completed run and runs nothing; a second run of the same job
 * compared with the first is no regression (exit 0): the A/A comparison the nightly job relies on.
 */
class QuickstartTest {
  @TempDir
  Path dir;

  @Test
  void quickstartRunsAndARerunResumesIt() throws Exception {
    dev.llmsweep.analysis.TestSpark.stopAnyContext(); // the run starts its own local[1]
    String root = dir.resolve("results").toString();
    String first = submit("jobs/quickstart.conf", "--results", root, "--run-id", "qs");
    assertTrue(first.contains("[llm-sweep] run qs: 17 points (0 already committed)"), first);
    assertTrue(first.contains("17/17 points"), "progress line: " + first);
    assertTrue(first.contains("[llm-sweep] results: file:" + dir.resolve("results/qs")), first);
    JsonNode m = new ObjectMapper().readTree(dir.resolve("results/qs/manifest.json").toFile());
    assertEquals("completed", m.get("status").asText());
    assertEquals(17, m.get("points_committed").asInt());
    assertEquals("local[1]", m.get("spark_master").asText());
    try (var points = Files.list(dir.resolve("results/qs/raw"))) {
      assertEquals(17, points.count());
    }
    String again = submit("jobs/quickstart.conf", "--results", root, "--run-id", "qs");
    assertTrue(again.contains("[llm-sweep] run qs: 0 points (17 already committed)"), again);
    assertTrue(again.contains("17 points committed (0 ran now, 17 resumed)"), again);

    submit("jobs/quickstart.conf", "--results", root, "--run-id", "qs2");
    String compared = submit("compare", "--run", "qs2", "--baseline", "qs", "--results", root);
    assertTrue(compared.contains("no significant regression against baseline qs"), compared);
    assertTrue(compared.contains("(figures of 17 matched points)"), compared);
    assertTrue(compared.contains("too few calls"), "the p99s of 10 calls get no verdict: " + compared);
  }

  private static String submit(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream tee = new PrintStream(captured, true)) {
      System.setOut(tee);
      CliRun r = CliRun.of(args);
      assertEquals(0, r.code(), () -> "exit code; stderr: " + r.err() + "\nstdout: " + captured);
    } finally {
      System.setOut(original);
    }
    return captured.toString();
  }
}
