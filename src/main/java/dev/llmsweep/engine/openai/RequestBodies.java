package dev.llmsweep.engine.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.SamplingParams;

/**
 * The JSON body of each request of a batch. Completions take the prompt as token ids (exact lengths
 * without the server's tokenizer) or text; chat takes one user message, and token-id prompts become
 * words (about one token each: chat prompt lengths are approximate, and the server's {@code
 * usage.prompt_tokens} is what is stored). {@code max_tokens} caps the output; {@code ignore_eos}
 * plus {@code min_tokens = max_tokens} force it (vLLM, TensorRT-LLM, SGLang). Sampling maps to
 * {@code temperature}, {@code top_p}, {@code top_k} (when set) and {@code seed} (the call's seed
 * plus the request's index, as the built-in engine seeds its rows). The stream asks for the final
 * usage. Of these, the fields in {@link Endpoint#OPTIONAL_FIELDS} go only when the job's {@code
 * send} lists them, and the job's {@code extra_body} is added last (its fields replace the ones
 * made here).
 */
final class RequestBodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Common English words: a token-id prompt for chat becomes one word per id. */
  private static final String[] WORDS =
      ("the of and to in is was for on that with as by at from his it an were are"
              + " which this be or has had first one their its new after who they two her she been other when there all"
              + " during into school time may years more most only over city some world would where later up such used many"
              + " can state about national out known university united then made")
          .split(" ");

  private RequestBodies() {}

  static byte[] body(Endpoint endpoint, GenerationRequest request, int index) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", endpoint.model());
    if (endpoint.api() == Api.COMPLETIONS) {
      if (request.promptTexts().isEmpty()) {
        ArrayNode ids = b.putArray("prompt");
        for (int id : request.prompts().get(index)) {
          ids.add(id);
        }
      } else {
        b.put("prompt", request.promptTexts().get(index));
      }
    } else {
      ObjectNode message = b.putArray("messages").addObject();
      message.put("role", "user");
      message.put(
          "content",
          request.promptTexts().isEmpty()
              ? words(request.prompts().get(index))
              : request.promptTexts().get(index));
    }
    b.put("max_tokens", request.maxTokens());
    if (request.ignoreEos() && endpoint.sends("ignore_eos")) {
      b.put("ignore_eos", true);
    }
    if (request.ignoreEos() && endpoint.sends("min_tokens")) {
      b.put("min_tokens", request.maxTokens());
    }
    SamplingParams s = request.sampling();
    b.put("temperature", s.temperature());
    if (endpoint.sends("top_p")) {
      b.put("top_p", s.topP());
    }
    if (s.topK() > 0 && endpoint.sends("top_k")) {
      b.put("top_k", s.topK());
    }
    if (endpoint.sends("seed")) {
      b.put("seed", s.seed() + index);
    }
    if (!request.stopStrings().isEmpty()) {
      ArrayNode stop = b.putArray("stop");
      request.stopStrings().forEach(stop::add);
    }
    b.put("stream", true);
    if (endpoint.sends("stream_options")) {
      b.putObject("stream_options").put("include_usage", true);
    }
    if (endpoint.extraBody() != null) {
      try {
        b.setAll((ObjectNode) JSON.readTree(endpoint.extraBody()));
      } catch (java.io.IOException | ClassCastException e) {
        throw new IllegalArgumentException(
            "extra_body is not a JSON object: " + endpoint.extraBody(), e);
      }
    }
    try {
      return JSON.writeValueAsBytes(b);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 1-token request of a 1-token prompt: what {@code server.ready = request} sends. */
  static GenerationRequest oneToken() {
    return new GenerationRequest(
        java.util.List.of(new int[] {3}),
        1,
        new SamplingParams(0, 1, 0, 0),
        false,
        java.util.List.of());
  }

  static String words(int[] ids) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[Math.floorMod(id, WORDS.length)]);
    }
    return sb.toString();
  }
}
