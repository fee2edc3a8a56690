package dev.llmsweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium for the report's browser test: where it is, and one offline run of it. */
final class HeadlessChromium {
  private HeadlessChromium() {}

  /** Chromium on the PATH (or $CHROMIUM); a clear failure when it is missing. */
  static String path() {
    String env = System.getenv("CHROMIUM");
    if (env != null && new File(env).canExecute()) {
      return env;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (new File(dir, name).canExecute()) {
          return new File(dir, name).getPath();
        }
      }
    }
    return fail(
        "headless Chromium is needed to check the report: install it (Debian: apt-get install -y"
            + " chromium, as .ci/run does) or point $CHROMIUM at it");
  }

  /** Runs headless Chromium offline with its own profile; returns stdout. */
  static String run(String chromium, List<String> args) throws Exception {
    Path profile = Files.createTempDirectory("llm-sweep-chromium");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("chromium did not finish in 120 s: " + Files.readString(err));
      }
      assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
