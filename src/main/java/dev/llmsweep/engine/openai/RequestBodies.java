package dev.llmsweep.engine.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.SamplingParams;

/**
 * The JSON body of each request of a batch. Completions take the prompt as token ids (exact
 * lengths without the server's tokenizer) or text; chat takes one user message, and token-id
 * prompts become words (about one token each: chat prompt lengths are approximate, and the
 * server's {@code usage.prompt_tokens} is what is stored). {@code max_tokens} caps the output;
 * {@code ignore_eos} plus {@code min_tokens = max_tokens} force it (vLLM, TensorRT-LLM, SGLang).
 * Sampling maps to {@code temperature}, {@code top_p}, {@code top_k} (when set) and {@code seed}
 * (the call's seed plus the request's index, as the built-in engine seeds its rows). The stream
 * asks for the final usage.
 */
final class RequestBodies {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Common English words: a token-id prompt for chat becomes one word per id. */
  private static final String[] WORDS = ("the of and to in is was for on that with as by at from his it an were are"
      + " which this be or has had first one their its new after who they two her she been other when there all"
      + " during into school time may years more most only over city some world would where later up such used many"
      + " can state about national out known university united then made").split(" ");

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
      message.put("content", request.promptTexts().isEmpty() ? words(request.prompts().get(index))
          : request.promptTexts().get(index));
    }
    b.put("max_tokens", request.maxTokens());
    if (request.ignoreEos()) {
      b.put("ignore_eos", true);
      b.put("min_tokens", request.maxTokens());
    }
    SamplingParams s = request.sampling();
    b.put("temperature", s.temperature());
    b.put("top_p", s.topP());
    if (s.topK() > 0) {
      b.put("top_k", s.topK());
    }
    b.put("seed", s.seed() + index);
    if (!request.stopStrings().isEmpty()) {
      ArrayNode stop = b.putArray("stop");
      request.stopStrings().forEach(stop::add);
    }
    b.put("stream", true);
    b.putObject("stream_options").put("include_usage", true);
    try {
      return JSON.writeValueAsBytes(b);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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
