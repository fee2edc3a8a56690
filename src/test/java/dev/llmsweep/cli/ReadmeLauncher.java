package dev.llmsweep.cli;

import dev.llmsweep.cli.Submit.Outcome;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code ./submit} as typed, in a child process, for the README's smoke tests. */
final class ReadmeLauncher {
  private ReadmeLauncher() {}

  /**
   * {@code ./submit ARGS} in a child process, as typed, with the launcher's own JVM options and
   * classpath choice; it uses {@code target/} as {@code mvn test} built it. Its output files go
   * under {@code dir}.
   */
  static Outcome launch(Path dir, String... args) throws Exception {
    return launchWithInput(dir, null, args);
  }

  /** {@link #launch} with {@code input} (when not null) as its standard input. */
  static Outcome launchWithInput(Path dir, String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("./submit"));
    command.addAll(List.of(args));
    File out = Files.createTempFile(dir, "submit", ".out").toFile();
    File err = Files.createTempFile(dir, "submit", ".err").toFile();
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
    pb.environment().put("LLM_SWEEP_NO_BUILD", "1");
    if (input != null) {
      pb.redirectInput(
          Files.writeString(Files.createTempFile(dir, "submit", ".in"), input).toFile());
    }
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(
          "./submit " + String.join(" ", args) + " did not end within 10 minutes");
    }
    return new Outcome(
        p.exitValue(),
        Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  static boolean hasGpu() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
