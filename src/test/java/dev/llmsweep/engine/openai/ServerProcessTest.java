package dev.llmsweep.engine.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started from a command template: placeholders, readiness, its log, its death, its stop.
 */
class ServerProcessTest {
  /** The fake server as a command template, run by this JVM's java on the test classpath. */
  static String fakeServerCommand(String extra) {
    return "'"
        + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -Xmx64m -cp '"
        + System.getProperty("java.class.path")
        + "' "
        + FakeServerMain.class.getName()
        + " --port {port} --gpu {gpu} --model {model} "
        + extra;
  }

  private static final Endpoint ENDPOINT =
      new Endpoint("http://unused/v1", "m", Api.COMPLETIONS, null, 20, 5, 32000);

  @Test
  void aStartedServerAnswersOnItsPortWithItsGpuAndStopsWithItsGenerator(@TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("servers/gpu-3.log");
    ServerProcess server =
        ServerProcess.start(
            fakeServerCommand(""),
            "3",
            "mistral",
            log,
            60,
            "/v1",
            ServerProcess.AUTO_READY,
            ENDPOINT);
    long pid = server.pid();
    try (OpenAiGenerator gen = OpenAiGenerator.withServer(ENDPOINT, "gpu:3", server)) {
      String port = server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1");
      assertTrue(
          Files.readString(log).contains("fake server gpu=3 port=" + port + " model=mistral"),
          Files.readString(log));
      RequestOutput r =
          gen.generate(GenerationRequest.greedy(List.of(new int[] {5, 6}), 4), TokenListener.NONE)
              .requests()
              .get(0);
      assertNull(r.error());
      assertEquals(4, r.newTokenIds().length);
    }
    assertFalse(
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the server stopped");
  }

  /**
   * A server with no /v1, no models and no health route: auto readiness falls back to a 1-token
   * request.
   */
  @Test
  void aServerRootedAtSlashWithoutProbeRoutesIsStartedAndAnswers(@TempDir Path dir)
      throws Exception {
    Endpoint chat = new Endpoint("http://unused", "m", Api.CHAT, null, 20, 5, 32000);
    ServerProcess server =
        ServerProcess.start(
            fakeServerCommand("--root-only true"),
            "0",
            "m",
            dir.resolve("s.log"),
            60,
            "",
            ServerProcess.AUTO_READY,
            chat);
    try (OpenAiGenerator gen = OpenAiGenerator.withServer(chat, "gpu:0", server)) {
      assertFalse(server.baseUrl().contains("/v1"), server.baseUrl());
      RequestOutput r =
          gen.generate(GenerationRequest.greedy(List.of(new int[] {5, 6}), 3), TokenListener.NONE)
              .requests()
              .get(0);
      assertNull(r.error());
      assertEquals(3, r.newTokenIds().length);
    }
  }

  @Test
  void aServerThatDiesFailsTheNextCallWithItsLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("s.log");
    ServerProcess server =
        ServerProcess.start(
            fakeServerCommand("--die-after 1"),
            "0",
            "m",
            log,
            60,
            "/v1",
            ServerProcess.AUTO_READY,
            ENDPOINT);
    try (OpenAiGenerator gen = OpenAiGenerator.withServer(ENDPOINT, "gpu:0", server)) {
      GenerationRequest one = GenerationRequest.greedy(List.of(new int[] {5}), 2);
      assertNull(gen.generate(one, TokenListener.NONE).requests().get(0).error());
      ServerProcess.ServerExitedException e =
          assertThrows(
              ServerProcess.ServerExitedException.class,
              () -> gen.generate(one, TokenListener.NONE));
      assertTrue(
          e.getMessage().contains("exited with code 3")
              && e.getMessage().contains("dying after 1 requests"),
          e.getMessage());
    }
  }

  @Test
  void aCommandThatExitsBeforeAnsweringIsAnErrorWithItsOutput(@TempDir Path dir) {
    ServerProcess.ServerExitedException e =
        assertThrows(
            ServerProcess.ServerExitedException.class,
            () ->
                ServerProcess.start(
                    "echo no GPU {gpu} for {model}; exit 4",
                    "7",
                    "m",
                    dir.resolve("s.log"),
                    30,
                    "/v1",
                    ServerProcess.AUTO_READY,
                    ENDPOINT));
    assertTrue(
        e.getMessage().contains("exited with code 4") && e.getMessage().contains("no GPU 7 for m"),
        e.getMessage());
  }
}
