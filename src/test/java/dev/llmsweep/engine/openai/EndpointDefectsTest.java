package dev.llmsweep.engine.openai;

import static dev.llmsweep.engine.openai.ScriptedServer.DONE;
import static dev.llmsweep.engine.openai.ScriptedServer.chunk;
import static dev.llmsweep.engine.openai.ScriptedServer.finish;
import static dev.llmsweep.engine.openai.ScriptedServer.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.engine.openai.ScriptedServer.Response;
import dev.llmsweep.engine.openai.ScriptedServer.Write;
import dev.llmsweep.tokenizer.ByteLevelTokenizer;
import dev.llmsweep.tokenizer.TextTokenizer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the endpoint engine sees against servers that are not vLLM (issue 23), one test
 * per defect: the causes of failed requests are kept (refused with its URL, an HTTP status with its
 * URL and body, a stream cut after N tokens, then a reconnect); a response without tokens fails; a
 * server like the Java LLM server tried in the issue (rooted at /, {@code data:} without a space,
 * empty chunks, no usage, no {@code [DONE]}, max_tokens counting the prompt) is read right; prompt
 * lengths are never guessed; a server that rejects unknown fields is told in one line which field
 * and which key leaves it out. No timing assertions: any machine load passes.
 */
class EndpointDefectsTest {
  @TempDir Path dir;

  private static Endpoint endpoint(
      String url, Api api, List<String> send, String extraBody, String tokenizer) {
    return new Endpoint(url, "scripted", api, null, 10, 5, 32000, send, extraBody, tokenizer);
  }

  private static Endpoint endpoint(String url, Api api) {
    return endpoint(url, api, Endpoint.OPTIONAL_FIELDS, null, null);
  }

  private static GenerationRequest batch(int n, int promptTokens, int maxTokens) {
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] p = new int[promptTokens];
      for (int j = 0; j < p.length; j++) {
        p[j] = 3 + i + j;
      }
      prompts.add(p);
    }
    return new GenerationRequest(
        prompts, maxTokens, new SamplingParams(0.7, 0.9, 40, 11), true, List.of());
  }

  private static List<Write> tokens(int n) {
    List<Write> w = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      w.add(new Write(2 + t, chunk("t" + t)));
    }
    w.add(new Write(3 + n, finish("length") + usage(3, n) + DONE));
    return w;
  }

  @Test
  void connectionRefusedSaysSoWithTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String url = "http://127.0.0.1:" + port + "/v1";
    try (OpenAiGenerator gen = new OpenAiGenerator(endpoint(url, Api.COMPLETIONS), "endpoint")) {
      RequestOutput r = gen.generate(batch(2, 3, 4), TokenListener.NONE).requests().get(0);
      assertEquals(FinishReason.ERROR, r.finishReason());
      assertTrue(
          r.error()
              .startsWith(
                  "connection refused: nothing accepts connections at " + url + "/completions"),
          r.error());
    }
  }

  @Test
  void anHttpErrorKeepsItsStatusUrlAndBody() throws Exception {
    try (ScriptedServer server = new ScriptedServer((body, i) -> Response.stream(tokens(2)))) {
      String wrong = server.baseUrl().replace("/v1", "/api");
      try (OpenAiGenerator gen =
          new OpenAiGenerator(endpoint(wrong, Api.COMPLETIONS), "endpoint")) {
        RequestOutput r = gen.generate(batch(1, 3, 2), TokenListener.NONE).requests().get(0);
        assertTrue(
            r.error().startsWith("HTTP 404 from POST " + wrong + "/completions: "), r.error());
        assertTrue(r.error().contains("Not Found"), "the body's first bytes: " + r.error());
      }
    }
  }

  /**
   * A server killed mid-stream: the tokens before are kept, the cause says so, and the next call
   * reconnects.
   */
  @Test
  void aStreamCutMidResponseSaysAfterHowManyTokensAndTheNextCallReconnects() throws Exception {
    Iterator<Response> script =
        List.of(
                new Response(
                    200,
                    List.of(
                        new Write(2, chunk("a")),
                        new Write(4, chunk("b")),
                        new Write(6, chunk("c"))),
                    false,
                    true),
                Response.stream(tokens(2)))
            .iterator();
    try (ScriptedServer server = new ScriptedServer((body, i) -> script.next());
        OpenAiGenerator gen =
            new OpenAiGenerator(endpoint(server.baseUrl(), Api.COMPLETIONS), "endpoint")) {
      RequestOutput cut = gen.generate(batch(1, 3, 8), TokenListener.NONE).requests().get(0);
      assertTrue(cut.error().startsWith("stream closed after 3 tokens"), cut.error());
      assertEquals(3, cut.newTokenIds().length, "the tokens before the cut are kept");
      RequestOutput next = gen.generate(batch(1, 3, 2), TokenListener.NONE).requests().get(0);
      assertNull(next.error(), "the next call connects afresh");
      assertEquals(2, next.newTokenIds().length);
    }
  }

  @Test
  void aResponseWithoutTokensIsAFailedRequest() throws Exception {
    try (ScriptedServer server =
            new ScriptedServer(
                (body, i) ->
                    Response.stream(List.of(new Write(2, finish("stop") + usage(3, 0) + DONE))));
        OpenAiGenerator gen =
            new OpenAiGenerator(endpoint(server.baseUrl(), Api.COMPLETIONS), "endpoint")) {
      RequestOutput r = gen.generate(batch(1, 3, 8), TokenListener.NONE).requests().get(0);
      assertEquals(FinishReason.ERROR, r.finishReason());
      assertTrue(
          r.error().startsWith("no tokens: the stream ended (finish_reason stop) without text"),
          r.error());
    }
  }

  @Test
  void aServerRootedAtSlashWithoutUsageOrDoneIsReadAndPromptLengthsAreNeverGuessed()
      throws Exception {
    Path tokenizerFile = dir.resolve("tokenizer.json");
    ByteLevelTokenizer.write(tokenizerFile);
    try (ScriptedServer server = OddServers.realLike()) {
      try (OpenAiGenerator gen =
          new OpenAiGenerator(endpoint(server.baseUrl(), Api.CHAT), "endpoint")) {
        List<RequestOutput> rs = gen.generate(batch(2, 10, 32), TokenListener.NONE).requests();
        for (RequestOutput r : rs) {
          assertNull(r.error());
          assertEquals(
              22, r.newTokenIds().length, "one token per chunk with text; empty chunks carry none");
          assertEquals(
              FinishReason.EOS, r.finishReason(), "fewer than max_tokens: the server ended it");
          assertEquals(
              -1, r.promptTokens(), "no usage, no tokenizer: unknown (NULL), not a word count");
        }
      }
      try (OpenAiGenerator gen =
          new OpenAiGenerator(
              endpoint(
                  server.baseUrl(),
                  Api.CHAT,
                  Endpoint.OPTIONAL_FIELDS,
                  null,
                  tokenizerFile.toString()),
              "endpoint")) {
        RequestOutput r = gen.generate(batch(1, 10, 32), TokenListener.NONE).requests().get(0);
        String sent =
            server.seen.get(server.seen.size() - 1).body().at("/messages/0/content").asText();
        try (TextTokenizer t = TextTokenizer.open(tokenizerFile)) {
          assertEquals(
              t.encode(sent).length, r.promptTokens(), "the job's tokenizer counts the text sent");
        }
        assertFalse(r.promptTokens() == 10, "a byte-level count, not the word count");
      }
    }
  }

  @Test
  void aServerThatRejectsAFieldIsToldInOneLineWhichFieldAndWhichKeyLeavesItOut() throws Exception {
    try (ScriptedServer server = OddServers.strict()) {
      try (OpenAiGenerator gen =
          new OpenAiGenerator(endpoint(server.baseUrl(), Api.COMPLETIONS), "endpoint")) {
        RequestOutput r = gen.generate(batch(1, 3, 2), TokenListener.NONE).requests().get(0);
        assertTrue(
            r.error()
                .startsWith(
                    "the server rejects the request field 'ignore_eos' (HTTP 400 from POST "
                        + server.baseUrl()
                        + "/completions: "),
            r.error());
        assertTrue(
            r.error().contains("send = [...] without ignore_eos") && !r.error().contains("\n"),
            r.error());
      }
      try (OpenAiGenerator gen =
          new OpenAiGenerator(
              endpoint(
                  server.baseUrl(),
                  Api.COMPLETIONS,
                  List.of("seed", "top_p", "stream_options"),
                  "{\"logit_bias\":{\"50256\":-100}}",
                  null),
              "endpoint")) {
        RequestOutput r = gen.generate(batch(1, 3, 2), TokenListener.NONE).requests().get(0);
        assertNull(r.error(), "only the fields the job sends");
        JsonNode sent = server.seen.get(server.seen.size() - 1).body();
        assertFalse(
            sent.has("ignore_eos") || sent.has("min_tokens") || sent.has("top_k"), sent.toString());
        assertEquals(-100, sent.at("/logit_bias/50256").asInt(), "extra_body's fields are added");
      }
    }
  }
}
