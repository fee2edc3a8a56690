package dev.llmsweep.cli;

import java.nio.file.Path;

/**
 * Where the project lives ({@code -Dllmsweep.home}, set by {@code ./submit}). The version and
 * commit of the running build are {@link dev.llmsweep.store.Build}'s.
 */
final class BuildInfo {
  private BuildInfo() {}

  static Path home() {
    return Path.of(System.getProperty("llmsweep.home", ".")).toAbsolutePath().normalize();
  }
}
