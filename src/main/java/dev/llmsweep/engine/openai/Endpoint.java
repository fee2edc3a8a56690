package dev.llmsweep.engine.openai;

import java.io.Serializable;
import java.net.URI;

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
 */
public record Endpoint(
    String baseUrl,
    String model,
    Api api,
    String apiKeyEnv,
    double requestTimeoutSeconds,
    double stallTimeoutSeconds,
    int vocabSize) implements Serializable {
  private static final long serialVersionUID = 1L;

  public Endpoint {
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
  }

  /** The URI a request of {@link #api} is posted to. */
  public URI requestUri() {
    return URI.create(baseUrl + api.path());
  }

  /** {@code /v1/models} under the base URL: what a starting server is polled on. */
  public URI modelsUri() {
    return URI.create(baseUrl + "/models");
  }

  /** The same endpoint on another base URL (a per-executor server's port). */
  public Endpoint at(String url) {
    return new Endpoint(url, model, api, apiKeyEnv, requestTimeoutSeconds, stallTimeoutSeconds, vocabSize);
  }
}
