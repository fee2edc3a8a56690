package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.SweepFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code submit report}: writes the report where asked and says where; bad input exits 2 with one line. */
@SparkOnly
class ReportCommandTest {

  @Test
  void writesTheReportAndPrintsItsPath() throws Exception {
    Path out = Files.createTempDirectory("llm-sweep-report").resolve("r.html");
    CliRun r = CliRun.of("report", "--results", SweepFixture.root().toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(out).contains("llm-sweep report: run " + SweepFixture.RUN));
  }

  @Test
  void badInputExitsTwo() {
    CliRun budget = CliRun.of("report", "--results", SweepFixture.root().toString(), "--budget", "-1");
    assertEquals(2, budget.code());
    assertTrue(budget.err().contains("--budget must be a positive number of seconds"), budget.err());
    CliRun missing = CliRun.of("report", "--results", "/nonexistent/llm-sweep-results");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    CliRun run = CliRun.of("report", "--results", SweepFixture.root().toString(), "--run-id", "nope");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("no run 'nope'"), run.err());
  }
}
