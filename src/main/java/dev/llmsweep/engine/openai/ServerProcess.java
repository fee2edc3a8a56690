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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A model server this JVM started from a job's {@code server.command} (executor side, one per
 * device): the template's {@code {gpu}}, {@code {port}} and {@code {model}} are filled in, the
 * command runs under {@code /bin/sh -c} with its stdout and stderr appended to a log file, and
 * {@link #start} returns once {@code GET /v1/models} or {@code GET /health} answers 200. Closing
 * it stops the process and its descendants (SIGTERM, then SIGKILL after 10 s).
 */
public final class ServerProcess implements AutoCloseable {
  /** The placeholders a command template may use. */
  public static final List<String> PLACEHOLDERS = List.of("{gpu}", "{port}", "{model}");

  private final Process process;
  private final String baseUrl;
  private final Path log;
  private final String command;
  /** Stops the server if the JVM exits without closing it (an executor ending while a task runs). */
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
   */
  public static ServerProcess start(String template, String gpu, String model, Path log, double startTimeoutSeconds) {
    int port = freePort();
    String command = fill(template, gpu, port, model);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(log, "# llm-sweep: starting " + command + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("LLM_SWEEP_GPU", gpu);
      pb.environment().put("LLM_SWEEP_PORT", Integer.toString(port));
      ServerProcess server = new ServerProcess(pb.start(), "http://127.0.0.1:" + port + "/v1", log, command);
      try {
        server.awaitReady(startTimeoutSeconds);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start server '" + command + "' (log " + log + "): " + e.getMessage(), e);
    }
  }

  /** The template with its placeholders filled in. */
  static String fill(String template, String gpu, int port, String model) {
    return template.replace("{gpu}", gpu).replace("{port}", Integer.toString(port)).replace("{model}", model);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for a server: " + e.getMessage(), e);
    }
  }

  private void awaitReady(double timeoutSeconds) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    List<URI> probes = List.of(URI.create(baseUrl + "/models"), URI.create(baseUrl.replaceFirst("/v1$", "") + "/health"));
    while (true) {
      for (URI probe : probes) {
        try {
          HttpResponse<Void> r = client.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for server '" + command + "'", e);
        }
      }
      if (!process.isAlive()) {
        throw new ServerExitedException("server '" + command + "' exited with code " + process.exitValue()
            + " before it answered; its log " + log + " ends: " + tail());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new ServerExitedException("server '" + command + "' did not answer " + probes + " within "
            + timeoutSeconds + " s (server.start_timeout_s); its log " + log + " ends: " + tail());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for server '" + command + "'", e);
      }
    }
  }

  /** The API root the server answers on, {@code http://127.0.0.1:<port>/v1}. */
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
      throw new ServerExitedException("server '" + command + "' (pid " + process.pid() + ") exited with code "
          + process.exitValue() + "; its log " + log + " ends: " + tail());
    }
  }

  /** The last lines of the log, joined by " | ". */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 5), lines.size())));
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
