package dev.llmsweep.engine.openai;

import static dev.llmsweep.engine.openai.ScriptedServer.DONE;
import static dev.llmsweep.engine.openai.ScriptedServer.chunk;
import static dev.llmsweep.engine.openai.ScriptedServer.finish;
import static dev.llmsweep.engine.openai.ScriptedServer.usage;

import dev.llmsweep.engine.openai.ScriptedServer.Response;
import dev.llmsweep.engine.openai.ScriptedServer.Write;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Scripted servers that are not vLLM, on 127.0.0.1 (issue 23): one like the real Java LLM server
 * the endpoint engine was tried against, and one that rejects request fields it does not know.
 */
public final class OddServers {
  private OddServers() {}

  /**
   * Like the Java LLM server of the issue: chat only, at {@code POST /chat/completions} (no /v1, no
   * models route), {@code data:{json}} without a space, some chunks with empty content, no usage,
   * no [DONE], and max_tokens counting the prompt (so fewer tokens than asked).
   */
  public static ScriptedServer realLike() throws java.io.IOException {
    return new ScriptedServer(
        (body, i) -> {
          int prompt = body.at("/messages/0/content").asText().split(" ").length;
          int answer = Math.max(0, body.path("max_tokens").asInt() - prompt);
          List<Write> w = new ArrayList<>();
          w.add(
              new Write(
                  1,
                  "data:{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"));
          for (int t = 0; t < answer; t++) {
            w.add(
                new Write(
                    2 + t,
                    "data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" w"
                        + t
                        + "\"}}]}\n\n"));
            if (t % 3 == 0) {
              w.add(
                  new Write(
                      2 + t,
                      "data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\n\n"));
            }
          }
          w.add(
              new Write(
                  3 + answer,
                  "data:{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"));
          return Response.stream(w);
        },
        Integer.MAX_VALUE,
        0,
        "",
        false);
  }

  /** Answers 400, as OpenAI's API does, to any field outside its core; streams otherwise. */
  public static ScriptedServer strict() throws java.io.IOException {
    Set<String> known =
        Set.of(
            "model",
            "prompt",
            "messages",
            "max_tokens",
            "temperature",
            "stream",
            "stop",
            "seed",
            "top_p",
            "stream_options",
            "logit_bias");
    return new ScriptedServer(
        (body, i) -> {
          for (Iterator<String> f = body.fieldNames(); f.hasNext(); ) {
            String name = f.next();
            if (!known.contains(name)) {
              return new Response(
                  400,
                  List.of(
                      new Write(
                          0,
                          "{\"error\":{\"message\":\"Unrecognized request argument"
                              + " supplied: "
                              + name
                              + "\",\"type\":\"invalid_request_error\"}}")),
                  false);
            }
          }
          return Response.stream(
              List.of(
                  new Write(2, chunk("a")),
                  new Write(3, chunk("b")),
                  new Write(4, finish("length") + usage(3, 2) + DONE)));
        });
  }
}
