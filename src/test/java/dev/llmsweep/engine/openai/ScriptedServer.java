package dev.llmsweep.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An OpenAI-compatible streaming server for tests, on 127.0.0.1 and a free port, whose responses
 * follow a script: each request gets a list of writes, each at a fixed offset after the request was
 * received, and the server records when each write began ({@code System.nanoTime()}, the client's
 * clock when both run in one JVM). Also answers {@code GET /v1/models} and {@code /health}.
 */
public final class ScriptedServer implements AutoCloseable {
  static {
    // small writes must leave at once: Nagle plus delayed ACKs would hold a chunk back ~40 ms
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bytes written at {@code atMs} after the request arrived. */
  record Write(double atMs, String text) {}

  /** What the server does with one request: its status and writes (the request's JSON given). */
  interface Script {
    Response respond(JsonNode request, int index);
  }

  /**
   * A response: HTTP status and the writes of its body; {@code hang} keeps it open afterwards;
   * {@code cut} drops the connection after the writes, mid-response (a server killed mid-stream).
   */
  record Response(int status, List<Write> writes, boolean hang, boolean cut) {
    Response(int status, List<Write> writes, boolean hang) {
      this(status, writes, hang, false);
    }

    static Response stream(List<Write> writes) {
      return new Response(200, writes, false);
    }
  }

  /**
   * Thrown out of the handler so the HTTP server drops the connection without ending the response.
   */
  private static final class Cut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cut() {
      super("cut mid-stream, as scripted");
    }
  }

  /** One request as the server saw it: its body, when it arrived and when each write began. */
  record Seen(JsonNode body, long receivedNanos, List<Long> writeNanos) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Script script;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

  private final java.util.concurrent.Semaphore slots;

  ScriptedServer(Script script) throws IOException {
    this(script, Integer.MAX_VALUE);
  }

  /** A server that works on at most {@code slots} requests at once; the others queue. */
  ScriptedServer(Script script, int slots) throws IOException {
    this(script, slots, 0);
  }

  /** On {@code port} (0: a free one). */
  ScriptedServer(Script script, int slots, int port) throws IOException {
    this(script, slots, port, "/v1", true);
  }

  /**
   * Answering under {@code basePath} ({@code /v1}, or "" for a server rooted at /), with {@code GET
   * /v1/models} and {@code /health} only when {@code probes}.
   */
  ScriptedServer(Script script, int slots, int port, String basePath, boolean probes)
      throws IOException {
    this.script = script;
    this.basePath = basePath;
    this.slots = new java.util.concurrent.Semaphore(slots, true);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(pool);
    server.createContext(basePath + "/completions", this::handle);
    server.createContext(basePath + "/chat/completions", this::handle);
    if (probes) {
      server.createContext(
          "/v1/models",
          ex -> reply(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"scripted\"}]}"));
      server.createContext("/health", ex -> reply(ex, 200, "{}"));
    }
    server.start();
  }

  private final String basePath;

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
  }

  /** Requests being answered now. */
  int inFlight() {
    return inFlight.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      slots.acquireUninterruptibly();
      try {
        respond(
            ex, body, System.nanoTime()); // a queued request's script starts when it gets a slot
      } finally {
        slots.release();
      }
    } catch (IOException e) {
      // the client hung up (a timeout test): nothing to answer
    } catch (Cut cut) {
      inFlight.decrementAndGet();
      throw cut; // the server closes the connection without the response's end
    }
    inFlight.decrementAndGet();
    ex.close();
  }

  private void respond(HttpExchange ex, JsonNode body, long received) throws IOException {
    Response r = script.respond(body, count.getAndIncrement());
    List<Long> flushed = Collections.synchronizedList(new ArrayList<>());
    seen.add(new Seen(body, received, flushed));
    ex.getResponseHeaders()
        .set("Content-Type", r.status() == 200 ? "text/event-stream" : "application/json");
    ex.sendResponseHeaders(r.status(), 0);
    OutputStream out = ex.getResponseBody();
    for (Write w : r.writes()) {
      waitUntil(received + (long) (w.atMs() * 1e6));
      flushed.add(System.nanoTime());
      out.write(w.text().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (r.hang()) {
      LockSupport.parkNanos(60_000_000_000L); // until the client gives up and the server is closed
    }
    if (r.cut()) {
      throw new Cut();
    }
    out.close();
  }

  /**
   * Parks until 2 ms before {@code at}, then spins: a parked thread wakes late by milliseconds on a
   * loaded machine.
   */
  private static void waitUntil(long at) {
    for (long left = at - System.nanoTime(); left > 2_000_000; left = at - System.nanoTime()) {
      LockSupport.parkNanos(left - 2_000_000);
    }
    while (at - System.nanoTime() > 0) {
      // spin: the write's time is what the tests check the client against
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  /** A completions chunk carrying {@code text} as SSE. */
  static String chunk(String text) {
    return "data: {\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":"
        + quote(text)
        + ",\"finish_reason\":null}]}\n\n";
  }

  static String finish(String reason) {
    return "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\""
        + reason
        + "\"}]}\n\n";
  }

  static String usage(int prompt, int completion) {
    return "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}\n\n";
  }

  static final String DONE = "data: [DONE]\n\n";

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
