package dev.llmsweep.job;

import dev.llmsweep.engine.openai.Api;
import dev.llmsweep.engine.openai.Arrivals;
import dev.llmsweep.engine.openai.Endpoint;
import dev.llmsweep.engine.openai.ServerProcess;
import java.io.Serializable;

/**
 * Which engine runs a point and, for an OpenAI-compatible endpoint, how it is reached and loaded
 * (driver and executor side: part of each {@link Point}). The built-in engine ({@code builtin})
 * ignores everything but {@code engine}.
 *
 * @param engine {@code builtin} (llm-sweep's own engine) or {@code openai}
 * @param endpoint the API root of a running server, e.g. {@code http://host:8000/v1}; null when
 *     each executor starts its own ({@code server})
 * @param api completions or chat
 * @param apiKeyEnv the name of the environment variable holding the API key; null for none. The key
 *     itself is never read on the driver nor written anywhere
 * @param requestTimeoutS the longest one request may take
 * @param stallTimeoutS the longest a stream may go without a byte
 * @param vocabSize synthetic prompt ids are drawn below this
 * @param server the per-executor server, or null
 * @param load open-loop arrivals; {@code requestRate} 0 for a closed-loop batch
 * @param slo the latency objectives goodput counts against
 * @param client what each request carries and how many failed requests a point tolerates
 */
public record Serving(
    String engine,
    String endpoint,
    Api api,
    String apiKeyEnv,
    double requestTimeoutS,
    double stallTimeoutS,
    int vocabSize,
    Server server,
    Load load,
    Slo slo,
    Client client)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String BUILTIN = "builtin";
  public static final String OPENAI = "openai";

  /** The built-in engine: a closed-loop batch in this JVM. */
  public static Serving builtin() {
    return new Serving(
        BUILTIN, null, Api.COMPLETIONS, null, 0, 0, 0, null, Load.CLOSED, Slo.NONE, Client.DEFAULT);
  }

  public boolean isEndpoint() {
    return OPENAI.equals(engine);
  }

  /** Where requests go, for the records: the endpoint, or {@code server:<executor's port>}. */
  public String endpointLabel() {
    return !isEndpoint() ? "" : endpoint != null ? endpoint : "server";
  }

  /** The client settings (the base URL is the server's when each executor starts one). */
  public Endpoint toEndpoint(String model) {
    return new Endpoint(
        endpoint != null ? endpoint : "http://127.0.0.1:0/v1",
        model,
        api,
        apiKeyEnv,
        requestTimeoutS,
        stallTimeoutS,
        vocabSize,
        client.send(),
        client.extraBody(),
        client.tokenizer());
  }

  /** The same with one point's request rate. */
  public Serving withRequestRate(double rate) {
    return new Serving(
        engine,
        endpoint,
        api,
        apiKeyEnv,
        requestTimeoutS,
        stallTimeoutS,
        vocabSize,
        server,
        new Load(rate, load.arrivals(), load.requests(), load.durationS()),
        slo,
        client);
  }

  /**
   * The largest fraction of a point's measured requests that may fail before the point fails
   * ({@code endpoint_error}): the job's {@code max_error_rate}, or by default 0 for a closed loop
   * (a failed request leaves its call a smaller batch than the point asks for, so any failure is a
   * measurement of something else) and 1 for an open loop (failures under load are what it
   * measures; they show in {@code error_rate} and goodput).
   */
  public double errorRateLimit() {
    return !Double.isNaN(client.maxErrorRate()) ? client.maxErrorRate() : load.openLoop() ? 1 : 0;
  }

  /**
   * What the client sends and tolerates.
   *
   * @param maxErrorRate the job's {@code max_error_rate}; NaN for the default ({@link
   *     #errorRateLimit})
   * @param send the optional request fields sent, of {@link Endpoint#OPTIONAL_FIELDS}
   * @param extraBody a JSON object whose fields are added to every request body; null for none
   * @param tokenizer a {@code tokenizer.json} or a directory holding one, counting chat prompts
   *     when the server reports no usage; null for none
   */
  public record Client(
      double maxErrorRate, java.util.List<String> send, String extraBody, String tokenizer)
      implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Client DEFAULT =
        new Client(Double.NaN, Endpoint.OPTIONAL_FIELDS, null, null);
  }

  /**
   * The server each executor starts for its device.
   *
   * @param command the template; {@code {gpu}}, {@code {port}} and {@code {model}} are filled in
   * @param startTimeoutS how long it may take to answer its readiness probe
   * @param basePath the API root's path on the server, e.g. {@code /v1}; empty for the root
   * @param ready how readiness is probed: {@code auto} ({@link ServerProcess#AUTO_READY}), a path
   *     answered with 200, or {@code request} (a 1-token request)
   */
  public record Server(String command, double startTimeoutS, String basePath, String ready)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Open-loop load of one point.
   *
   * @param requestRate requests per second; 0 for a closed loop (a batch of {@code batch_size})
   * @param arrivals Poisson or constant
   * @param requests requests per measured repetition; 0 when {@code durationS} bounds them
   * @param durationS seconds of arrivals per measured repetition; 0 when {@code requests} does
   */
  public record Load(double requestRate, Arrivals arrivals, int requests, double durationS)
      implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Load CLOSED = new Load(0, Arrivals.POISSON, 0, 0);

    public boolean openLoop() {
      return requestRate > 0;
    }

    /** The arrival offsets of a repetition, seeded by the point's seed and the repetition. */
    public long[] offsetsNanos(long seed) {
      return requests > 0
          ? arrivals.offsetsNanos(requestRate, requests, seed)
          : arrivals.offsetsWithinNanos(requestRate, durationS, seed);
    }

    /** Requests a repetition sends: exact with a count, the expected number with a duration. */
    public long expectedRequests() {
      return requests > 0 ? requests : Math.max(1, Math.round(requestRate * durationS));
    }
  }

  /**
   * Service-level objectives: a request is good when it succeeded and meets both.
   *
   * @param ttftMs the most time to first token, ms; 0 for no objective
   * @param tpotMs the most time per output token after the first, ms; 0 for no objective
   */
  public record Slo(double ttftMs, double tpotMs) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Slo NONE = new Slo(0, 0);
  }
}
