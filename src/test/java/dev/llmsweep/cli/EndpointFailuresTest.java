package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.engine.openai.OddServers;
import dev.llmsweep.engine.openai.ScriptedServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/endpoint-quickstart.conf} end to end against servers that fail it (issue 23): with
 * nothing listening, every point fails (endpoint_error) and the run exits 1 naming the URL and the
 * cause; against a server that rejects unknown fields, the run says in one line which field and
 * which key; against a server like the real one of the issue (chat at /, no usage, max_tokens
 * counting the prompt), the run commits, counts its short answers and says so once, and stores NULL
 * prompt lengths with a warning instead of guessing.
 */
@SparkOnly
class EndpointFailuresTest {
  @TempDir Path dir;

  private Path job(String extra) throws Exception {
    Path job = dir.resolve("endpoint-quickstart.conf");
    Files.writeString(
        job, Files.readString(Path.of("jobs/endpoint-quickstart.conf")) + "\n" + extra + "\n");
    return job;
  }

  @Test
  void aRunWhosePointsAllFailedExitsOneNamingTheUrlAndTheCause() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/v1";
    Outcome o =
        Submit.run(
            job("defaults.endpoint = \"" + url + "\"").toString(),
            "--results",
            dir.resolve("r1").toString(),
            "--run-id",
            "dead");
    assertEquals(1, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("0 points committed") && o.out().contains("6 failed"), o.out());
    assertTrue(
        o.out().contains("[llm-sweep] every point failed; the first: ")
            && o.out()
                .contains(
                    "connection refused: nothing accepts connections at " + url + "/completions"),
        o.out());
    assertTrue(o.out().contains("endpoint_error during generate"), o.out());
  }

  @Test
  void aServerThatRejectsAFieldFailsTheRunWithTheFieldAndTheKeyInOneLine() throws Exception {
    try (ScriptedServer server = OddServers.strict()) {
      Outcome o =
          Submit.run(
              job("defaults.endpoint = \"" + server.baseUrl() + "\"").toString(),
              "--results",
              dir.resolve("r2").toString(),
              "--run-id",
              "strict");
      assertEquals(1, o.code(), o.out() + o.err());
      assertTrue(
          o.out().contains("the server rejects the request field 'ignore_eos'")
              && o.out().contains("send = [...] without ignore_eos"),
          o.out());

      Path job = dir.resolve("strict.conf");
      Files.writeString(
          job,
          """
          defaults { engine = openai, endpoint = "%s", model = m, warmups = 1, warmup_max = 1, model_warmup_s = 0,
            send = [seed, top_p, stream_options] }
          experiments = [ { name = load_sweep, load { requests = 20 }, repetitions = 2,
            axes { request_rate = 40, max_tokens = 16, prompt_tokens = 32 } } ]
          """
              .formatted(server.baseUrl()));
      Outcome fixed =
          Submit.run(
              job.toString(), "--results", dir.resolve("r3").toString(), "--run-id", "fixed");
      assertEquals(0, fixed.code(), fixed.out() + fixed.err());
      assertTrue(fixed.out().contains("[llm-sweep] requests: 40 measured, 0 failed"), fixed.out());
      assertTrue(
          fixed
              .out()
              .contains(
                  "[llm-sweep] warning: 40 of 40 successful requests under ignore_eos answered"
                      + " fewer tokens than max_tokens"),
          "2 tokens of 16: " + fixed.out());
    }
  }

  @Test
  void aServerLikeTheRealOneCommitsCountsShortAnswersAndNeverGuessesPromptLengths()
      throws Exception {
    try (ScriptedServer server = OddServers.realLike()) {
      Path results = dir.resolve("r4");
      Path job = dir.resolve("real.conf");
      Files.writeString(
          job,
          """
          defaults { engine = openai, endpoint = "%s", api = chat, model = m, warmups = 1, warmup_max = 1,
            model_warmup_s = 0 }
          experiments = [ { name = batch_sweep, repetitions = 5,
            axes { batch_size = [1, 4], max_tokens = 32, prompt_tokens = 8 } } ]
          """
              .formatted(server.baseUrl()));
      Outcome o = Submit.run(job.toString(), "--results", results.toString(), "--run-id", "real");
      assertEquals(0, o.code(), o.out() + o.err());
      assertTrue(o.out().contains("[llm-sweep] requests: 25 measured, 0 failed"), o.out());
      assertTrue(
          o.out().contains("[llm-sweep] warning: 25 of 25 successful requests under ignore_eos"),
          o.out());
      Outcome sql =
          Submit.run(
              "sql",
              "--results",
              results.toString(),
              "--run-id",
              "real",
              "SELECT batch_size, short_outputs, prompt_tokens_unknown, output_tokens_mean, size(warnings) > 0 AS warned"
                  + " FROM points ORDER BY batch_size");
      assertEquals(0, sql.code(), sql.err());
      assertTrue(
          sql.out().lines().anyMatch(l -> l.replaceAll("\\s", "").equals("1|5|5|24|true")),
          sql.out());
      assertTrue(
          sql.out().lines().anyMatch(l -> l.replaceAll("\\s", "").equals("4|20|20|24|true")),
          sql.out());
    }
  }
}
