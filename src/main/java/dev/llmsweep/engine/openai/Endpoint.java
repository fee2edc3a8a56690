package dev.llmsweep.engine.openai;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * Where and how to reach an OpenAI-compatible server.
 *
 * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8000/v1}, without a trailing slash
 * @param model the model name the server serves (the request's {@code model})
 * @param api completions or chat
 * @param apiKeyEnv the name of the environment variable holding the API key (read where the
 *     requests are sent, never stored); null for none
 * @param requestTimeoutSeconds the longest one request may take, first byte to last
 * @param stallTimeoutSeconds the longest a stream may go without a byte before the request fails
 * @param vocabSize synthetic prompt ids are drawn below this (the server's vocabulary size)
 * @param send the optional fields each request carries, of {@link #OPTIONAL_FIELDS}
 * @param extraBody a JSON object whose fields are added to each request body; null for none
 * @param tokenizer a {@code tokenizer.json} (or a directory holding one) that counts a chat
 *     prompt's tokens when the server reports no usage; null for none
 */
public record Endpoint(
    String baseUrl,
    String model,
    Api api,
    String apiKeyEnv,
    double requestTimeoutSeconds,
    double stallTimeoutSeconds,
    int vocabSize,
    List<String> send,
    String extraBody,
    String tokenizer)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Request fields beyond the OpenAI API's core ({@code model}, the prompt, {@code max_tokens},
   * {@code temperature}, {@code stream}, {@code stop}) that a job may leave out: servers that
   * reject fields they do not know (OpenAI's own API) answer 400 to vLLM's extensions.
   */
  public static final List<String> OPTIONAL_FIELDS =
      List.of("ignore_eos", "min_tokens", "seed", "top_p", "top_k", "stream_options");

  /**
   * The same settings as before these fields existed: every optional field, no extras, no
   * tokenizer.
   */
  public Endpoint(
      String baseUrl,
      String model,
      Api api,
      String apiKeyEnv,
      double requestTimeoutSeconds,
      double stallTimeoutSeconds,
      int vocabSize) {
    this(
        baseUrl,
        model,
        api,
        apiKeyEnv,
        requestTimeoutSeconds,
        stallTimeoutSeconds,
        vocabSize,
        OPTIONAL_FIELDS,
        null,
        null);
  }

  public Endpoint {
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    send = List.copyOf(send);
  }

  /** Whether requests carry the optional field {@code name}. */
  public boolean sends(String name) {
    return send.contains(name);
  }

  /** The URI a request of {@link #api} is posted to. */
  public URI requestUri() {
    return URI.create(baseUrl + api.path());
  }

  /** The same endpoint on another base URL (a per-executor server's port). */
  public Endpoint at(String url) {
    return new Endpoint(
        url,
        model,
        api,
        apiKeyEnv,
        requestTimeoutSeconds,
        stallTimeoutSeconds,
        vocabSize,
        send,
        extraBody,
        tokenizer);
  }
}
