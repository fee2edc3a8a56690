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
 * {@code jobs/endpoint-quickstart.conf} end to end against a server this test starts (the job file
 * as shipped, with its endpoint pointed at that server, as LLM_SWEEP_ENDPOINT does): every point
 * committed, the points table, the load_sweep view and the report with its load plots.
 */
@SparkOnly
class EndpointQuickstartTest {
  @TempDir Path dir;

  @Test
  void theEndpointQuickstartRunsEndToEndWithReportAndViews() throws Exception {
    try (ScriptedServer server = FakeServerMain.start(0, 1, () -> {}, Integer.MAX_VALUE)) {
      Path job = dir.resolve("endpoint-quickstart.conf");
      Files.writeString(
          job,
          Files.readString(Path.of("jobs/endpoint-quickstart.conf"))
              + "\ndefaults.endpoint = \""
              + server.baseUrl()
              + "\"\n");
      Path results = dir.resolve("results");
      Outcome o =
          Submit.run(job.toString(), "--results", results.toString(), "--run-id", "ep-quick");
      assertEquals(0, o.code(), o.err() + o.out());
      assertTrue(
          o.out().contains("[llm-sweep] run ep-quick completed: 6 points committed"), o.out());
      String report = Files.readString(results.resolve("ep-quick/report.html"));
      assertTrue(
          report.contains("Latency by request rate: load_sweep")
              && report.contains("Goodput by request rate"),
          "the report has the load plots");
      assertTrue(Files.exists(results.resolve("ep-quick/plots/goodput-by-rate-1.png")));
      Outcome sql =
          Submit.run(
              "sql",
              "--results",
              results.toString(),
              "--run-id",
              "ep-quick",
              "SELECT request_rate, requests, error_rate, achieved_requests_per_s > 0 AS ok FROM load_sweep"
                  + " ORDER BY request_rate");
      assertEquals(0, sql.code(), sql.err());
      List<List<String>> rows =
          sql.out()
              .lines()
              .filter(l -> l.matches("\\d.*"))
              .map(l -> Arrays.stream(l.split("\\|")).map(String::strip).toList())
              .toList();
      assertEquals(
          List.of(
              List.of("10", "40", "0.0", "true"),
              List.of("40", "40", "0.0", "true"),
              List.of("160", "40", "0.0", "true")),
          rows,
          "40 requests (2 x 20) per rate, none failed: " + sql.out());
      assertTrue(
          o.out().contains("[llm-sweep] requests: 185 measured, 0 failed"),
          "5 x (1 + 4 + 8) + 3 x 2 x 20: " + o.out());

      // the capacity answer: the highest rate whose goodput share (goodput / achieved) is >= 95%,
      // every
      // lower rate too, and the servers 500 requests/s need
      Outcome shares =
          Submit.run(
              "sql",
              "--results",
              results.toString(),
              "--run-id",
              "ep-quick",
              "SELECT request_rate, goodput_requests_per_s / achieved_requests_per_s >= 0.95 AS meets FROM load_sweep"
                  + " ORDER BY request_rate");
      long capacity = 0;
      for (String l : shares.out().lines().filter(l -> l.matches("\\d.*")).toList()) {
        String[] cells = l.split("\\|");
        if (!cells[1].strip().equals("true")) {
          break;
        }
        capacity = Long.parseLong(cells[0].strip());
      }
      Outcome rec =
          Submit.run(
              "recommend",
              "--results",
              results.toString(),
              "--run-id",
              "ep-quick",
              "--rate",
              "500");
      assertEquals(0, rec.code(), rec.err() + rec.out());
      String prefix = "load_sweep (" + server.baseUrl() + "): ";
      if (capacity > 0) {
        assertTrue(
            rec.out()
                .contains(
                    prefix
                        + "capacity "
                        + capacity
                        + " req/s per server, the highest offered rate"
                        + " with goodput >= 95% of the offered rate within TTFT <= 100 ms, TPOT <= 10 ms"),
            shares.out() + rec.out());
        long servers = (500 + capacity - 1) / capacity;
        assertTrue(
            rec.out()
                .contains(
                    "--rate 500: "
                        + servers
                        + " server"
                        + (servers == 1 ? "" : "s")
                        + " (500 / "
                        + capacity
                        + " req/s, rounded up)"),
            rec.out());
      } else {
        assertTrue(rec.out().contains(prefix + "no swept rate meets"), shares.out() + rec.out());
      }
      Outcome batch =
          Submit.run(
              "sql",
              "--results",
              results.toString(),
              "--run-id",
              "ep-quick",
              "SELECT DISTINCT engine, endpoint FROM requests");
      assertTrue(
          batch.out().contains("openai") && batch.out().contains(server.baseUrl()), batch.out());
    }
  }
}
