package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit bench-harness}: reports the engine's share of wall time and the overhead per point. */
class BenchHarnessTest {
  @TempDir
  Path dir;

  @Test
  void reportsEngineShareAndOverheadPerPoint() throws Exception {
    Path job = Files.writeString(dir.resolve("small.conf"), """
        experiments = [ { name = small, prompts = ["Hello"], axes { batch_size = [1, 2, 4], max_tokens = 24 }
                          repetitions = 2, warmups = 1 } ]
        """);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream tee = new PrintStream(captured, true)) {
      System.setOut(tee);
      CliRun r = CliRun.of("bench-harness", job.toString(), "--rounds", "1", "--results", dir.resolve("r").toString());
      assertEquals(0, r.code(), r.err());
    } finally {
      System.setOut(original);
    }
    String out = captured.toString();
    assertTrue(out.contains("round 1 of 1 (cold: first run in this JVM)"), out);
    Matcher share = Pattern.compile("inside the engine \\(generate\\)\\s+([0-9.]+) s\\s+([0-9.]+) % of wall").matcher(out);
    assertTrue(share.find(), out);
    double percent = Double.parseDouble(share.group(2));
    assertTrue(percent > 0 && percent <= 100, "a share of the wall time: " + percent);
    Matcher perPoint = Pattern.compile("overhead per point\\s+([0-9.]+) ms").matcher(out);
    assertTrue(perPoint.find(), out);
    assertTrue(Double.parseDouble(perPoint.group(1)) >= 0);
    try (var points = Files.list(Files.list(dir.resolve("r")).findFirst().orElseThrow().resolve("raw"))) {
      assertEquals(3, points.count(), "the benchmark run is a real run");
    }
  }
}
