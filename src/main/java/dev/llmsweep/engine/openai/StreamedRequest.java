package dev.llmsweep.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One streaming request's response, read as its bytes arrive (on the HTTP client's threads): each
 * SSE event is a chunk, stamped with {@code System.nanoTime()} when the read completing it came in.
 * A chunk carries tokens when it has text ({@code choices[0].text}, or {@code delta.content} /
 * {@code delta.reasoning_content} for chat), or when its running {@code usage.completion_tokens}
 * grew (servers that report usage on every chunk): then each of those tokens gets the chunk's time.
 * Chunks without tokens (the role, the finish reason, the final usage) only update the request's
 * state. Tokens the final {@code usage} counts beyond those seen in chunks (a chunk whose text was
 * held back by the server's detokenizer) are counted with the last token's time.
 *
 * <p>It ends at {@code [DONE]}; an {@code error} object in the stream, a connection that breaks, or
 * a stream ending without {@code [DONE]} or a finish reason fails the request with that reason.
 * {@link #fail} (a timeout seen by the watchdog) may be called from any thread; the first ending
 * wins.
 */
final class StreamedRequest implements HttpResponse.BodySubscriber<Void> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the request produced: token arrival times, text, why it ended, or its error. */
  record Result(
      long startNanos,
      long[] tokenNanos,
      String text,
      String finishReason,
      int promptTokens,
      String error) {}

  private final Api api;
  private final long startNanos;
  private final SseParser parser = new SseParser(this::onEvent);
  private final CompletableFuture<Void> body = new CompletableFuture<>();
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private long[] tokenNanos = new long[64];
  private int tokens;
  private int usageCompletion = -1;
  private int usagePrompt = -1;
  private String finishReason;
  private Flow.Subscription subscription;
  private volatile long lastArrivalNanos;

  /**
   * @param startNanos when the request counts as sent (its send, or its scheduled arrival)
   */
  StreamedRequest(Api api, long startNanos) {
    this.api = api;
    this.startNanos = startNanos;
    this.lastArrivalNanos = System.nanoTime();
  }

  CompletableFuture<Result> result() {
    return result;
  }

  long lastArrivalNanos() {
    return lastArrivalNanos;
  }

  @Override
  public CompletionStage<Void> getBody() {
    return body;
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    long now = System.nanoTime();
    for (ByteBuffer b : buffers) {
      feed(b, now);
    }
  }

  /**
   * Bytes of the body that arrived at {@code arrivalNanos} (the return of the read that brought
   * them).
   */
  void feed(ByteBuffer bytes, long arrivalNanos) {
    lastArrivalNanos = arrivalNanos;
    synchronized (this) {
      if (!result.isDone()) {
        parser.feed(bytes, arrivalNanos);
      }
    }
  }

  /** Whether the request has ended with an error (then its connection is not reused). */
  boolean failed() {
    return result.isDone() && result.join().error() != null;
  }

  @Override
  public synchronized void onError(Throwable t) {
    fail(STREAM_CLOSED + tokens + " tokens (" + root(t) + ")");
    body.completeExceptionally(t);
  }

  @Override
  public synchronized void onComplete() {
    if (!result.isDone()) {
      if (parser.pending()) {
        parser.feed(
            java.nio.ByteBuffer.wrap(new byte[] {'\n', '\n'}),
            System.nanoTime()); // an event without its blank line
      }
      if (!result.isDone()) {
        if (finishReason != null || tokens > 0) {
          // a server that ends its stream cleanly without [DONE] (after a finish reason or tokens):
          // the response's end is the stream's; a connection cut mid-response comes to onError
          finish(null);
        } else {
          fail(STREAM_CLOSED + tokens + " tokens, before [DONE] or a finish reason");
        }
      }
    }
    body.complete(null);
  }

  /** The start of the error of a stream whose connection ended early. */
  static final String STREAM_CLOSED = "stream closed after ";

  /** Tokens counted so far (any thread: read for messages only). */
  synchronized int tokens() {
    return tokens;
  }

  /** Whether an error says the connection was lost (refused, reset or closed mid-stream). */
  static boolean isConnectionLoss(String error) {
    return error != null
        && (error.startsWith(STREAM_CLOSED)
            || error.startsWith("connection refused")
            || error.startsWith("connection failed"));
  }

  /**
   * A failed exchange's cause, kept: refused (with the URL), which timeout, or the root exception.
   */
  static String describe(Throwable error, java.net.URI uri, double requestTimeoutS, int tokens) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.http.HttpConnectTimeoutException
          || t instanceof java.net.SocketTimeoutException
              && String.valueOf(t.getMessage())
                  .toLowerCase(java.util.Locale.ROOT)
                  .contains("connect")) {
        return "connect timed out: no connection to "
            + uri
            + " within "
            + requestTimeoutS
            + " s (request_timeout_s)";
      }
      if (t instanceof java.net.ConnectException) {
        return "connection refused: nothing accepts connections at "
            + uri
            + " ("
            + root(error)
            + ")";
      }
      if (t instanceof java.net.http.HttpTimeoutException) {
        return "timed out: " + uri + " (" + t.getMessage() + ")";
      }
    }
    if (tokens > 0) {
      return STREAM_CLOSED + tokens + " tokens (" + root(error) + ")";
    }
    return "connection failed: " + uri + " (" + root(error) + ")";
  }

  private static String root(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t;
        c != null && sb.length() < 300;
        c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
        continue; // the future's wrapper says nothing of the cause
      }
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(c.getClass().getSimpleName())
          .append(c.getMessage() == null ? "" : ": " + c.getMessage());
    }
    return sb.toString();
  }

  /** Ends the request with an error (first ending wins) and drops the connection. */
  synchronized void fail(String reason) {
    if (result.isDone()) {
      return;
    }
    finish(reason);
    if (subscription != null) {
      subscription.cancel();
    }
  }

  private void finish(String error) {
    int counted = tokens;
    if (error == null && counted == 0 && usageCompletion <= 0) {
      // a response without a token measures nothing: never a success
      error =
          "no tokens: the stream ended ("
              + (finishReason == null ? "no finish_reason" : "finish_reason " + finishReason)
              + ") without text in any chunk";
    }
    long[] nanos = Arrays.copyOf(tokenNanos, counted);
    if (error == null && usageCompletion > counted && counted > 0) {
      nanos = Arrays.copyOf(nanos, usageCompletion);
      Arrays.fill(nanos, counted, usageCompletion, nanos[counted - 1]);
    }
    result.complete(
        new Result(startNanos, nanos, text.toString(), finishReason, usagePrompt, error));
  }

  private void onEvent(String event, String data, long arrivalNanos) {
    if (result.isDone()) {
      return;
    }
    if (data.strip().equals("[DONE]")) {
      finish(null);
      return;
    }
    // the streaming read for the usual chunk; the tree for the rest (errors, odd types)
    ChunkFields c = event.equals("error") ? null : ChunkFields.read(data, api);
    if (c == null && (c = fromTree(event, data)) == null) {
      return;
    }
    int carried = 0;
    if (c.hasChoice()) {
      text.append(c.piece());
      carried = c.piece().isEmpty() ? 0 : 1;
      if (c.finishReason() != null) {
        finishReason = c.finishReason();
      }
    }
    if (c.promptTokens() != ChunkFields.ABSENT) {
      usagePrompt = c.promptTokens();
    }
    if (c.completionTokens() >= 0 && c.hasChoice()) {
      carried = Math.max(0, c.completionTokens() - tokens); // running usage counts exactly
    }
    usageCompletion = Math.max(usageCompletion, c.completionTokens());
    for (int i = 0; i < carried; i++) {
      if (tokens == tokenNanos.length) {
        tokenNanos = Arrays.copyOf(tokenNanos, tokens * 2);
      }
      tokenNanos[tokens++] = arrivalNanos;
    }
  }

  /** The chunk read as a tree, or null after failing the request (unreadable, an error). */
  private ChunkFields fromTree(String event, String data) {
    JsonNode chunk;
    try {
      chunk = JSON.readTree(data);
    } catch (Exception e) {
      fail("unreadable chunk " + abbreviate(data) + ": " + e.getMessage());
      return null;
    }
    if (event.equals("error") || chunk.has("error")) {
      JsonNode e = chunk.has("error") ? chunk.get("error") : chunk;
      String message = e.isTextual() ? e.asText() : e.path("message").asText(e.toString());
      fail("server error mid-stream: " + message);
      return null;
    }
    JsonNode choice = chunk.path("choices").path(0);
    String piece = "";
    String finish = null;
    if (!choice.isMissingNode()) {
      piece =
          api == Api.CHAT
              ? join(
                  choice.path("delta").path("reasoning_content"),
                  choice.path("delta").path("content"))
              : choice.path("text").asText("");
      if (choice.hasNonNull("finish_reason")) {
        finish = choice.get("finish_reason").asText();
      }
    }
    JsonNode usage = chunk.path("usage");
    boolean counted = usage.isObject();
    return new ChunkFields(
        !choice.isMissingNode(),
        piece,
        finish,
        counted ? usage.path("prompt_tokens").asInt(usagePrompt) : ChunkFields.ABSENT,
        counted ? usage.path("completion_tokens").asInt(-1) : -1);
  }

  private static String join(JsonNode a, JsonNode b) {
    return (a.isTextual() ? a.asText() : "") + (b.isTextual() ? b.asText() : "");
  }

  static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= 200 ? one : one.substring(0, 200) + "…";
  }
}
