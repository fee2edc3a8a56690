package dev.llmsweep.engine.openai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A model server this JVM started from a job's {@code server.command} (executor side, one per
 * device): the template's {@code {gpu}}, {@code {port}} and {@code {model}} are filled in, the
 * command runs under {@code /bin/sh -c} with its stdout and stderr appended to a log file, and
 * {@link #start} returns once it is ready: by default ({@code auto}) when {@code GET /v1/models},
 * {@code /health} or {@code /models} answers 200 or, for a server with none of them, a 1-token
 * request succeeds; or when the job's own path answers 200; or ({@code request}) when a 1-token
 * request does. Closing it stops the process and its descendants (SIGTERM, then SIGKILL after 10
 * s).
 */
public final class ServerProcess implements AutoCloseable {
  /** The placeholders a command template may use. */
  public static final List<String> PLACEHOLDERS = List.of("{gpu}", "{port}", "{model}");

  /** {@code server.ready}: the probes below, then a 1-token request. */
  public static final String AUTO_READY = "auto";

  /** {@code server.ready}: a 1-token request only. */
  public static final String REQUEST_READY = "request";

  /** What {@code auto} asks for first, on the server's root. */
  public static final List<String> AUTO_PROBES = List.of("/v1/models", "/health", "/models");

  private final Process process;
  private final String baseUrl;
  private final Path log;
  private final String command;

  /**
   * Stops the server if the JVM exits without closing it (an executor ending while a task runs).
   */
  private final Thread onExit;

  private ServerProcess(Process process, String baseUrl, Path log, String command) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
    this.command = command;
    this.onExit = new Thread(this::destroyTree, "llm-sweep-server-stop");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /**
   * Starts the server and waits until it answers.
   *
   * @param template the command, with placeholders
   * @param gpu the GPU address Spark assigned the task (empty on CPU)
   * @param model the model the server serves (the job's {@code model})
   * @param log where its output goes (appended)
   * @param startTimeoutSeconds how long it may take to answer
   * @param basePath the API root's path on the server ({@code /v1}, or empty)
   * @param ready {@link #AUTO_READY}, {@link #REQUEST_READY} or a path answered with 200
   * @param endpoint what a 1-token readiness request is (its model, api and fields)
   */
  public static ServerProcess start(
      String template,
      String gpu,
      String model,
      Path log,
      double startTimeoutSeconds,
      String basePath,
      String ready,
      Endpoint endpoint) {
    int port = freePort();
    String command = fill(template, gpu, port, model);
    String root = "http://127.0.0.1:" + port;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log,
          "# llm-sweep: starting " + command + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder("/bin/sh", "-c", command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("LLM_SWEEP_GPU", gpu);
      pb.environment().put("LLM_SWEEP_PORT", Integer.toString(port));
      ServerProcess server = new ServerProcess(pb.start(), root + basePath, log, command);
      try {
        server.awaitReady(startTimeoutSeconds, root, ready, endpoint.at(root + basePath));
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start server '" + command + "' (log " + log + "): " + e.getMessage(), e);
    }
  }

  /** The template with its placeholders filled in. */
  static String fill(String template, String gpu, int port, String model) {
    return template
        .replace("{gpu}", gpu)
        .replace("{port}", Integer.toString(port))
        .replace("{model}", model);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for a server: " + e.getMessage(), e);
    }
  }

  private void awaitReady(double timeoutSeconds, String root, String ready, Endpoint endpoint) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    List<HttpRequest> probes = new ArrayList<>();
    List<String> paths =
        ready.equals(AUTO_READY)
            ? AUTO_PROBES
            : ready.equals(REQUEST_READY) ? List.of() : List.of(ready);
    for (String path : paths) {
      probes.add(
          HttpRequest.newBuilder(URI.create(root + path))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build());
    }
    if (!paths.equals(List.of(ready))) {
      probes.add(
          HttpRequest.newBuilder(endpoint.requestUri())
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      RequestBodies.body(endpoint, RequestBodies.oneToken(), 0)))
              .build());
    }
    while (true) {
      for (HttpRequest probe : probes) {
        try {
          HttpResponse<Void> r = client.send(probe, HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (java.net.ConnectException e) {
          // not listening yet: the later probes would be refused too, and the 1-token request
          // must reach only a server that listens (a scripted server counts it as a call)
          break;
        } catch (IOException e) {
          // listening, but this probe failed (reset, timeout): try the next
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "interrupted while waiting for server '" + command + "'", e);
        }
      }
      if (!process.isAlive()) {
        throw new ServerExitedException(
            "server '"
                + command
                + "' exited with code "
                + process.exitValue()
                + " before it answered; its log "
                + log
                + " ends: "
                + tail());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new ServerExitedException(
            "server '"
                + command
                + "' did not answer "
                + probes.stream().map(p -> p.method() + " " + p.uri()).toList()
                + " with 200 within "
                + timeoutSeconds
                + " s (server.start_timeout_s; server.ready = "
                + ready
                + " says what is probed); its log "
                + log
                + " ends: "
                + tail());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for server '" + command + "'", e);
      }
    }
  }

  /** The API root the server answers on, {@code http://127.0.0.1:<port>} and the base path. */
  public String baseUrl() {
    return baseUrl;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  /** Throws when the server has exited: its points fail the way an engine error does. */
  public void checkAlive() {
    checkAlive(0);
  }

  /**
   * The same, after waiting up to {@code graceMillis} for it to exit: a server that dropped its
   * connections is usually exiting, and the process is seen to end a moment later.
   */
  public void checkAlive(long graceMillis) {
    try {
      process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!process.isAlive()) {
      throw new ServerExitedException(
          "server '"
              + command
              + "' (pid "
              + process.pid()
              + ") exited with code "
              + process.exitValue()
              + "; its log "
              + log
              + " ends: "
              + tail());
    }
  }

  /** The last lines of the log, joined by " | ". */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          " | ", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 5), lines.size())));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private void destroyTree() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    try {
      for (ProcessHandle h : tree) {
        h.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** The server is gone (exited, or never answered). */
  public static final class ServerExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerExitedException(String message) {
      super(message);
    }
  }
}
