package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.engine.openai.FakeServerMain;
import dev.llmsweep.engine.openai.ScriptedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/endpoint-quickstart.conf} end to end against a server this test starts (the job
 * file as shipped, with its endpoint pointed at that server, as LLM_SWEEP_ENDPOINT does): every
 * point committed, the points table, the load_sweep view and the report with its load plots.
 */
@SparkOnly
class EndpointQuickstartTest {
  @TempDir
  Path dir;

  @Test
  void theEndpointQuickstartRunsEndToEndWithReportAndViews() throws Exception {
    try (ScriptedServer server = FakeServerMain.start(0, 1, () -> { }, Integer.MAX_VALUE)) {
      Path job = dir.resolve("endpoint-quickstart.conf");
      Files.writeString(job, Files.readString(Path.of("jobs/endpoint-quickstart.conf"))
          + "\ndefaults.endpoint = \"" + server.baseUrl() + "\"\n");
      Path results = dir.resolve("results");
      Outcome o = Submit.run(job.toString(), "--results", results.toString(), "--run-id", "ep-quick");
      assertEquals(0, o.code(), o.err() + o.out());
      assertTrue(o.out().contains("[llm-sweep] run ep-quick completed: 6 points committed"), o.out());
      String report = Files.readString(results.resolve("ep-quick/report.html"));
      assertTrue(report.contains("Latency by request rate: load_sweep") && report.contains("Goodput by request rate"),
          "the report has the load plots");
      assertTrue(Files.exists(results.resolve("ep-quick/plots/goodput-by-rate-1.png")));
      Outcome sql = Submit.run("sql", "--results", results.toString(), "--run-id", "ep-quick",
          "SELECT request_rate, requests, error_rate, achieved_requests_per_s > 0 AS ok FROM load_sweep"
          + " ORDER BY request_rate");
      assertEquals(0, sql.code(), sql.err());
      List<List<String>> rows = sql.out().lines().filter(l -> l.matches("\\d.*"))
          .map(l -> Arrays.stream(l.split("\\|")).map(String::strip).toList()).toList();
      assertEquals(List.of(List.of("10", "40", "0.0", "true"), List.of("40", "40", "0.0", "true"),
          List.of("160", "40", "0.0", "true")), rows, "40 requests (2 x 20) per rate, none failed: " + sql.out());
      Outcome batch = Submit.run("sql", "--results", results.toString(), "--run-id", "ep-quick",
          "SELECT DISTINCT engine, endpoint FROM requests");
      assertTrue(batch.out().contains("openai") && batch.out().contains(server.baseUrl()), batch.out());
    }
  }
}
