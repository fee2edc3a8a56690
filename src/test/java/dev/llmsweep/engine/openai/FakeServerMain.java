package dev.llmsweep.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.engine.openai.ScriptedServer.Response;
import dev.llmsweep.engine.openai.ScriptedServer.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model server for Spark and end-to-end tests, started by a job's {@code server.command} as a
 * separate process ({@code java -cp <test classpath> dev.llmsweep.engine.openai.FakeServerMain
 * --port {port} --gpu {gpu} --model {model}}): streams {@code max_tokens} tokens for completions
 * and chat, the first after {@code 5 + prompt_tokens / 100} ms and then one every {@code token_ms x
 * (1 + 0.1 x (requests in flight - 1))} ms, so latency grows with load. Prints its GPU, port and
 * model on stdout (the test reads them from the server log). With {@code --die-after N} it exits
 * after answering N completion requests. With {@code --root-only true} it answers at {@code POST
 * /completions} and {@code /chat/completions} and nothing else (no /v1, no models or health route),
 * as some servers do.
 */
public final class FakeServerMain {
  private FakeServerMain() {}

  public static void main(String[] args) throws Exception {
    int port = 0;
    String gpu = "";
    String model = "fake";
    double tokenMs = 2;
    int dieAfter = Integer.MAX_VALUE;
    boolean rootOnly = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--gpu" -> gpu = args[i + 1];
        case "--model" -> model = args[i + 1];
        case "--token-ms" -> tokenMs = Double.parseDouble(args[i + 1]);
        case "--die-after" -> dieAfter = Integer.parseInt(args[i + 1]);
        case "--root-only" -> rootOnly = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int limit = dieAfter;
    start(
        port,
        tokenMs,
        () -> {
          System.out.println("fake server: dying after " + limit + " requests, as told");
          System.out.flush();
          Runtime.getRuntime().halt(3);
        },
        limit,
        rootOnly);
    exitWithAncestors();
    System.out.println(
        "fake server gpu="
            + gpu
            + " port="
            + port
            + " model="
            + model
            + " pid="
            + ProcessHandle.current().pid());
    System.out.flush();
    Thread.currentThread().join();
  }

  /**
   * The fake server in this JVM, on {@code port} (0: a free one): requests whose {@code seed} is
   * odd and whose {@code max_tokens} is 3 fail mid-stream with an error event (for tests of failure
   * rates); after {@code dieAfter} requests {@code die} runs.
   */
  public static ScriptedServer start(int port, double tokenMs, Runnable die, int dieAfter)
      throws java.io.IOException {
    return start(port, tokenMs, die, dieAfter, false);
  }

  /** The same, answering only at the root's completion paths when {@code rootOnly}. */
  static ScriptedServer start(
      int port, double tokenMs, Runnable die, int dieAfter, boolean rootOnly)
      throws java.io.IOException {
    AtomicInteger answered = new AtomicInteger();
    ScriptedServer[] server = new ScriptedServer[1];
    server[0] =
        new ScriptedServer(
            (body, index) -> {
              if (answered.incrementAndGet() > dieAfter) {
                die.run();
              }
              if (body.path("max_tokens").asInt() == 3 && body.path("seed").asLong() % 2 != 0) {
                return Response.stream(
                    List.of(
                        new Write(2, ScriptedServer.chunk(" t0")),
                        new Write(
                            3,
                            "data: {\"error\":{\"message\":\"scripted failure for odd seeds\"}}\n\n")));
              }
              return Response.stream(
                  stream(body, tokenMs * (1 + 0.1 * (server[0].inFlight() - 1))));
            },
            Integer.MAX_VALUE,
            port,
            rootOnly ? "" : "/v1",
            !rootOnly);
    return server[0];
  }

  /**
   * Exits when the process that started it (or the shell between) is gone: no orphans from killed
   * executors.
   */
  private static void exitWithAncestors() {
    List<ProcessHandle> ancestors = new ArrayList<>();
    for (ProcessHandle p = ProcessHandle.current().parent().orElse(null);
        p != null && ancestors.size() < 2;
        p = p.parent().orElse(null)) {
      ancestors.add(p);
    }
    Thread t =
        new Thread(
            () -> {
              while (ancestors.stream().allMatch(ProcessHandle::isAlive)) {
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
              Runtime.getRuntime().halt(0);
            },
            "fake-server-orphan-check");
    t.setDaemon(true);
    t.start();
  }

  private static List<Write> stream(JsonNode body, double gapMs) {
    int prompt = body.has("prompt") && body.get("prompt").isArray() ? body.get("prompt").size() : 8;
    int tokens = body.path("max_tokens").asInt(16);
    boolean chat = body.has("messages");
    double first = 5 + prompt / 100.0;
    List<Write> w = new ArrayList<>();
    for (int t = 0; t < tokens; t++) {
      String text = " t" + t;
      w.add(
          new Write(
              first + gapMs * t,
              chat
                  ? "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                      + ScriptedServer.quote(text)
                      + "}}]}\n\n"
                  : ScriptedServer.chunk(text)));
    }
    double end = first + gapMs * (tokens - 1);
    w.add(
        new Write(
            end,
            ScriptedServer.finish("length")
                + ScriptedServer.usage(prompt, tokens)
                + ScriptedServer.DONE));
    return w;
  }
}
