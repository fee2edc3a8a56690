package dev.llmsweep.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.cli.Submit;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.engine.openai.Api;
import dev.llmsweep.engine.openai.Arrivals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint keys of a job file: what they read as, and every mistake as file:line, key, value,
 * accepted.
 */
class EndpointJobFileTest {
  @TempDir Path dir;

  private Path job(String body) throws IOException {
    Path f = dir.resolve("ep.conf");
    Files.writeString(f, "name = ep\nexperiments = [\n  {\n    name = x\n" + body + "\n  }\n]\n");
    return f;
  }

  private List<String> problems(String body) throws IOException {
    return assertThrows(JobFileException.class, () -> JobReader.read(job(body))).problems();
  }

  private static void has(List<String> problems, String... parts) {
    for (String p : problems) {
      if (List.of(parts).stream().allMatch(p::contains)) {
        return;
      }
    }
    throw new AssertionError("no problem with " + List.of(parts) + " in " + problems);
  }

  @Test
  void anOpenLoopPointOnTheBuiltInEngineIsRefusedAtPlanTimeSayingWhy() throws IOException {
    Path f = job("    axes { prompt_tokens = 8, request_rate = [1, 2] }");
    Outcome r = Submit.run("plan", f.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err()
            .contains(
                f
                    + ":5: experiments[0].axes.request_rate needs engine = openai: the built-in engine"
                    + " batches statically"),
        r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void anEndpointExperimentReadsEveryKey() throws IOException {
    Job j =
        JobReader.read(
            job(
                """
            engine = openai
            endpoint = "http://127.0.0.1:8000/v1"
            model = mistral
            api = chat
            api_key_env = MY_KEY
            request_timeout_s = 30
            stall_timeout_s = 5
            load { arrivals = constant, duration_s = 20 }
            slo { ttft_ms = 500, tpot_ms = 50 }
            axes { prompt_tokens = 64, request_rate = [1, 2.5] }
        """));
    Serving s = j.experiments().get(0).serving();
    assertTrue(s.isEndpoint());
    assertEquals("http://127.0.0.1:8000/v1", s.endpoint());
    assertEquals(Api.CHAT, s.api());
    assertEquals("MY_KEY", s.apiKeyEnv());
    assertEquals(30, s.requestTimeoutS());
    assertEquals(5, s.stallTimeoutS());
    assertEquals(new Serving.Load(0, Arrivals.CONSTANT, 0, 20), s.load());
    assertEquals(new Serving.Slo(500, 50), s.slo());
    assertEquals(List.of(1.0, 2.5), j.experiments().get(0).axes().get(Axis.REQUEST_RATE));
  }

  @Test
  void endpointMistakesNameLineKeyValueAndWhatIsAccepted() throws IOException {
    List<String> p =
        problems(
            """
            engine = openai
            endpoint = "localhost:8000"
            api = rest
            api_key_env = "sk-secret-123"
            stall_timeout_s = 0
            load { rate = 3 }
            axes { prompt_tokens = 8 }
        """);
    String f = dir.resolve("ep.conf").toString();
    has(
        p,
        f + ":6: experiments[0].endpoint 'localhost:8000' is not an http(s) URL with a host",
        "http://127.0.0.1:8000/v1");
    has(p, f + ":7: experiments[0].api 'rest' is not accepted; accepted: completions, chat");
    has(p, f + ":8: experiments[0].api_key_env is not the name of an environment variable");
    has(p, f + ":9: experiments[0].stall_timeout_s is 0; expected a number of seconds > 0");
    has(
        p,
        f + ":10: experiments[0].load.rate is not a known key",
        "accepted: arrivals, requests, duration_s");
    assertFalse(p.toString().contains("sk-secret-123"), "an API key is never echoed: " + p);
  }

  @Test
  void serverAndLoadMistakes() throws IOException {
    String f = dir.resolve("ep.conf").toString();
    has(
        problems("    engine = openai\n    axes { prompt_tokens = 8 }"),
        f
            + ":5: experiments[0].engine = openai needs"
            + " endpoint = \"http://host:port/v1\" (a running server) or server.command");
    has(
        problems(
            "    engine = openai\n    server { command = \"vllm serve {model} --port {prot}\" }\n"
                + "    axes { prompt_tokens = 8 }"),
        f
            + ":6: experiments[0].server.command uses {prot}, which is not a"
            + " placeholder; accepted: {gpu}, {port}, {model}");
    has(
        problems(
            "    engine = openai\n    server { command = \"vllm serve {model}\" }\n"
                + "    axes { prompt_tokens = 8 }"),
        f + ":6: experiments[0].server.command has no {port}");
    has(
        problems(
            "    engine = openai\n    endpoint = \"http://h:1/v1\"\n    axes { prompt_tokens = 8, request_rate = 2 }"),
        f + ":7: experiments[0].axes.request_rate needs load.requests = N",
        "or load.duration_s = S");
    has(
        problems(
            "    engine = openai\n    endpoint = \"http://h:1/v1\"\n    load { requests = 10 }\n"
                + "    axes { prompt_tokens = 8, batch_size = [1, 4], request_rate = 2 }"),
        f + ":8: experiments[0].axes.batch_size and axes.request_rate are both set");
    has(
        problems("    endpoint = \"http://h:1/v1\"\n    axes { prompt_tokens = 8 }"),
        f + ":5: experiments[0].endpoint is set, but engine = builtin");
    has(
        problems("    engine = vllm\n    axes { prompt_tokens = 8 }"),
        f + ":5: experiments[0].engine 'vllm' is not accepted; accepted: builtin, openai");
  }

  /** Issue 23's keys: what each reads as, and the defaults a job without them gets. */
  @Test
  void theClientKeysReadAsWrittenAndDefaultToEveryFieldAndAutoLimits() throws IOException {
    Path tokenizer = dir.resolve("hf-model");
    Files.createDirectories(tokenizer);
    Files.writeString(tokenizer.resolve("tokenizer.json"), "{}");
    Job j =
        JobReader.read(
            job(
                """
            engine = openai
            server { command = "serve --port {port}", base_path = "", ready = /healthz }
            max_error_rate = 0.05
            send = [seed, stream_options]
            extra_body { repetition_penalty = 1.1 }
            tokenizer = "%s"
            axes { prompt_tokens = 8 }
        """
                    .formatted(tokenizer)));
    Serving s = j.experiments().get(0).serving();
    assertEquals(0.05, s.errorRateLimit());
    assertEquals(List.of("seed", "stream_options"), s.client().send());
    assertEquals("{\"repetition_penalty\":1.1}", s.client().extraBody());
    assertEquals(
        tokenizer.resolve("tokenizer.json").toAbsolutePath().toString(), s.client().tokenizer());
    assertEquals("", s.server().basePath());
    assertEquals("/healthz", s.server().ready());

    Serving d =
        JobReader.read(
                job(
                    "    engine = openai\n    endpoint = \"http://h:1\"\n    axes { prompt_tokens = 8 }"))
            .experiments()
            .get(0)
            .serving();
    assertEquals(0.0, d.errorRateLimit(), "closed loop: any failed request fails the point");
    assertEquals(1.0, d.withRequestRate(4).errorRateLimit(), "open loop: failures are data");
    assertEquals(dev.llmsweep.engine.openai.Endpoint.OPTIONAL_FIELDS, d.client().send());
    assertEquals(null, d.client().extraBody());
    assertEquals(null, d.client().tokenizer());
  }

  @Test
  void clientKeyMistakesNameLineKeyValueAndWhatIsAccepted() throws IOException {
    List<String> p =
        problems(
            """
            engine = openai
            server { command = "serve --port {port}", base_path = "v1/", ready = soon }
            max_error_rate = 5
            send = [ignore_eos, logprobs]
            extra_body = "{}"
            tokenizer = /no/such/tokenizer.json
            axes { prompt_tokens = 8 }
        """);
    String f = dir.resolve("ep.conf").toString();
    has(p, f + ":6: experiments[0].server.base_path is 'v1/'", "e.g. \"/v1\"");
    has(
        p,
        f + ":6: experiments[0].server.ready 'soon' is not accepted",
        "auto (GET /v1/models, /health, /models");
    has(p, f + ":7: experiments[0].max_error_rate is 5; expected auto", "a fraction in [0, 1]");
    has(
        p,
        f + ":8: experiments[0].send lists 'logprobs', which is not an optional request field",
        "extra_body");
    has(p, f + ":9: experiments[0].extra_body is a string", "expected an object of request fields");
    has(p, f + ":10: experiments[0].tokenizer '/no/such/tokenizer.json': no such file");
  }

  @Test
  void planShowsEachEndpointPointsEngineRequestRateAndEndpoint() {
    Outcome r = Submit.run("plan", "jobs/endpoint-quickstart.conf");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(1).endsWith("engine  req_rate  endpoint"), lines.get(1));
    for (String rate : List.of("10", "40", "160")) {
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.contains("load_sweep")
                          && l.endsWith(
                              " openai  "
                                  + " ".repeat(8 - rate.length())
                                  + rate
                                  + "  http://127.0.0.1:8000/v1")),
          rate + " in " + r.out());
    }
    assertTrue(
        lines.stream()
            .filter(l -> l.contains("batch_sweep"))
            .allMatch(l -> l.endsWith("closed  http://127.0.0.1:8000/v1")),
        r.out());
  }
}
