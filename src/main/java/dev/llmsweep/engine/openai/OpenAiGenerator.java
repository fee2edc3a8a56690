package dev.llmsweep.engine.openai;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.ModelInfo;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The endpoint engine: a batch of N prompts is N concurrent streaming requests to an
 * OpenAI-compatible server, and the call returns when all have ended (closed loop); or, with {@link
 * #generateAt}, requests sent at scheduled arrival times (open loop). Each request's latencies
 * count from its own start (its send, or its scheduled arrival, so client-side lateness and server
 * queueing both show in TTFT) to the arrival of the chunks carrying its tokens ({@link
 * StreamedRequest}). A request that fails (an HTTP error, an error in the stream, a broken
 * connection, {@code request_timeout_s}, no byte for {@code stall_timeout_s}) is returned with its
 * reason and finish reason {@code error}, never thrown: failures are data.
 *
 * <p>Uses {@link Http1Client}: HTTP/1.1, a connection per concurrent request (opened before the
 * call's clock starts, kept alive between calls), every plain-HTTP stream read and stamped by
 * either of two selector threads (TLS streams by a thread each). The API key is read from the named
 * environment variable when the generator is made, sent as a bearer token, and never written
 * anywhere. Token ids are not known from a stream: {@link RequestOutput#newTokenIds} holds -1 per
 * token.
 */
public final class OpenAiGenerator implements Generator {
  private final Endpoint endpoint;
  private final ModelInfo info;
  private final String apiKey;
  private final ScheduledExecutorService watchdog;
  private final Http1Client http;

  /**
   * Connections opened ahead of a call, at most (an open loop's concurrency is not known ahead).
   */
  private static final int MAX_PREPARED = 256;

  private final ServerProcess server;

  /** The job's tokenizer, or null: counts prompts the server's usage does not. */
  private final TextTokenizer tokenizer;

  /**
   * @param device where the server runs, for the records ({@code endpoint} for a remote one)
   */
  public OpenAiGenerator(Endpoint endpoint, String device) {
    this(endpoint, device, null);
  }

  /**
   * A generator for the server this JVM started: requests go to its port, a call on a server that
   * has exited throws ({@link ServerProcess.ServerExitedException}), and closing the generator
   * stops the server.
   */
  public static OpenAiGenerator withServer(Endpoint endpoint, String device, ServerProcess server) {
    return new OpenAiGenerator(endpoint.at(server.baseUrl()), device, server);
  }

  private OpenAiGenerator(Endpoint endpoint, String device, ServerProcess server) {
    this.endpoint = endpoint;
    this.server = server;
    this.info =
        new ModelInfo(
            endpoint.model(),
            "openai-" + endpoint.api().label(),
            0,
            0,
            Integer.MAX_VALUE,
            endpoint.vocabSize(),
            device,
            "server");
    if (endpoint.apiKeyEnv() != null) {
      String key = System.getenv(endpoint.apiKeyEnv());
      if (key == null || key.isEmpty()) {
        throw new BadInputException(
            "api_key_env names "
                + endpoint.apiKeyEnv()
                + ", which is not set (or empty)"
                + " in the environment of the process sending the requests");
      }
      this.apiKey = key;
    } else {
      this.apiKey = null;
    }
    try {
      this.tokenizer =
          endpoint.tokenizer() == null
              ? null
              : TextTokenizer.open(java.nio.file.Path.of(endpoint.tokenizer()));
    } catch (java.io.IOException | RuntimeException e) {
      throw new BadInputException(
          "tokenizer "
              + endpoint.tokenizer()
              + " cannot be read on this executor: "
              + e.getMessage()
              + "; give a tokenizer.json (or a Hugging Face model directory holding one) present here");
    }
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "llm-sweep-http-watchdog"));
    this.http = new Http1Client(endpoint.requestUri(), endpoint.requestTimeoutSeconds());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** Sends the batch's requests all at once and waits for every one (closed loop). */
  @Override
  public BatchOutput generate(GenerationRequest request, TokenListener listener) {
    return send(request, null, listener);
  }

  /**
   * Sends request i at {@code arrivalOffsetsNanos[i]} after the call starts (open loop; offsets
   * ascending) and waits for every one. A request's latencies count from its scheduled arrival.
   */
  @Override
  public BatchOutput generateAt(
      GenerationRequest request, long[] arrivalOffsetsNanos, TokenListener listener) {
    if (arrivalOffsetsNanos.length != request.batchSize()) {
      throw new IllegalArgumentException(
          arrivalOffsetsNanos.length + " arrivals for " + request.batchSize() + " requests");
    }
    return send(request, arrivalOffsetsNanos, listener);
  }

  /** The server this generator started, or null for one it only sends to. */
  public ServerProcess server() {
    return server;
  }

  private BatchOutput send(GenerationRequest request, long[] offsets, TokenListener listener) {
    if (server != null) {
      server.checkAlive();
    }
    BatchOutput out = sendAll(request, offsets, listener);
    if (out.requests().stream()
        .anyMatch(r -> r.failed() && StreamedRequest.isConnectionLoss(r.error()))) {
      // a dropped connection may leave others of the pool half-closed: the next call connects
      // afresh
      http.reset();
    }
    if (server != null) {
      // requests that failed because the server died fail the point, not just themselves
      server.checkAlive(out.requests().stream().anyMatch(RequestOutput::failed) ? 2000 : 0);
    }
    return out;
  }

  private BatchOutput sendAll(GenerationRequest request, long[] offsets, TokenListener listener) {
    int n = request.batchSize();
    List<byte[]> bodies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bodies.add(RequestBodies.body(endpoint, request, i));
    }
    // connections are opened before the clock starts: a connect is not the server's latency
    http.prepare(Math.min(n, MAX_PREPARED));
    List<StreamedRequest> streams = new ArrayList<>(n);
    long submit = System.nanoTime();
    try {
      for (int i = 0; i < n; i++) {
        long start;
        if (offsets == null) {
          start = System.nanoTime();
        } else {
          start = submit + offsets[i];
          sleepUntil(start);
        }
        StreamedRequest stream = new StreamedRequest(endpoint.api(), start);
        streams.add(stream);
        http.send(bodies.get(i), apiKey, stream, endpoint.requestTimeoutSeconds());
        watch(stream, start);
      }
      List<RequestOutput> outputs = new ArrayList<>(n);
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        StreamedRequest.Result r = streams.get(i).result().get();
        RequestOutput out = output(request, i, r);
        outputs.add(out);
        Arrays.fill(ids, -1);
        ids[i] = out.newTokenIds().length;
        listener.onStep(i, ids, System.nanoTime());
      }
      return new BatchOutput(submit, new long[0], System.nanoTime(), outputs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      streams.forEach(s -> s.fail("interrupted"));
      throw new IllegalStateException("interrupted while waiting for " + endpoint.requestUri(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (RuntimeException | Error e) {
      streams.forEach(s -> s.fail("the call was stopped: " + e.getMessage()));
      throw e;
    }
  }

  /**
   * Fails the request at its {@code request_timeout_s}, or after {@code stall_timeout_s} without a
   * byte.
   */
  private void watch(StreamedRequest stream, long start) {
    long total = (long) (endpoint.requestTimeoutSeconds() * 1e9);
    long stall = (long) (endpoint.stallTimeoutSeconds() * 1e9);
    long now = System.nanoTime();
    long next = Math.min(start + total, stream.lastArrivalNanos() + stall);
    watchdog.schedule(
        () -> {
          if (stream.result().isDone()) {
            return;
          }
          long t = System.nanoTime();
          if (t - (start + total) >= 0) {
            stream.fail(
                "timed out: no end after "
                    + endpoint.requestTimeoutSeconds()
                    + " s (request_timeout_s)");
          } else if (t - (stream.lastArrivalNanos() + stall) >= 0) {
            stream.fail(
                "stalled: no data for " + endpoint.stallTimeoutSeconds() + " s (stall_timeout_s)");
          } else {
            watch(stream, start);
          }
        },
        Math.max(0, next - now),
        TimeUnit.NANOSECONDS);
  }

  private RequestOutput output(GenerationRequest request, int i, StreamedRequest.Result r) {
    int[] ids = new int[r.tokenNanos().length];
    Arrays.fill(ids, -1);
    int promptTokens = r.promptTokens() >= 0 ? r.promptTokens() : promptTokens(request, i);
    FinishReason finish =
        r.error() != null ? FinishReason.ERROR : finishReason(r.finishReason(), request);
    return new RequestOutput(
        promptTokens, ids, r.tokenNanos(), r.text(), finish, r.startNanos(), r.error());
  }

  /**
   * A prompt's length when the server reported no usage: exact for token ids sent as ids
   * (completions); else the job's tokenizer's count of the text sent (for chat, the message's
   * content: the chat template's own tokens are not counted); else -1, stored as NULL, since a word
   * count would pass for a measurement.
   */
  private int promptTokens(GenerationRequest request, int i) {
    if (endpoint.api() == Api.COMPLETIONS && request.promptTexts().isEmpty()) {
      return request.prompts().get(i).length;
    }
    if (tokenizer == null) {
      return -1;
    }
    String text =
        request.promptTexts().isEmpty()
            ? RequestBodies.words(request.prompts().get(i))
            : request.promptTexts().get(i);
    return tokenizer.encode(text).length;
  }

  /**
   * {@code length} is the output cap; {@code stop} is a stop string when the request had any, else
   * EOS.
   */
  static FinishReason finishReason(String server, GenerationRequest request) {
    if ("length".equals(server)) {
      return FinishReason.LENGTH;
    }
    return request.stopStrings().isEmpty() ? FinishReason.EOS : FinishReason.STOP_STRING;
  }

  private static void sleepUntil(long nanos) {
    for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting to send a request");
      }
    }
  }

  @Override
  public int[] encode(String text) {
    throw new IllegalStateException(
        "an endpoint has no tokenizer here: text prompts are sent as text");
  }

  @Override
  public String decode(int[] ids) {
    throw new IllegalStateException("an endpoint has no tokenizer here");
  }

  @Override
  public boolean hasTokenizer() {
    return false;
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    http.close();
    if (tokenizer != null) {
      tokenizer.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
