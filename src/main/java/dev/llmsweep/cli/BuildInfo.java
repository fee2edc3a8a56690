package dev.llmsweep.cli;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where the project lives ({@code -Dllmsweep.home}, set by {@code ./submit}) and its git commit. */
final class BuildInfo {
  private BuildInfo() {}

  static Path home() {
    return Path.of(System.getProperty("llmsweep.home", ".")).toAbsolutePath().normalize();
  }

  /** {@code git rev-parse HEAD} in the project home, or null where git or the repository is absent. */
  static String gitCommit() {
    try {
      Process p = new ProcessBuilder("git", "-C", home().toString(), "rev-parse", "HEAD")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
