package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./submit} builds the project on first use and when sources change, and says so with about
 * how long it takes. Run on a copy of the launcher with a stand-in {@code mvn} (the real build
 * takes a minute), which leaves the files the launcher checks for.
 */
class LauncherBuildTest {
  @TempDir Path dir;

  @Test
  void theFirstBuildSaysHowLongAndARebuildGivesTheLastBuildsTime() throws Exception {
    Path project = dir.resolve("project");
    Files.createDirectories(project.resolve("src/main"));
    Files.createDirectories(project.resolve("conf"));
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    Files.copy(Path.of("submit"), project.resolve("submit"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path mvn =
        Files.writeString(
            bin.resolve("mvn"),
            "#!/usr/bin/env bash\nmkdir -p target\n"
                + "touch target/classpath-full.txt target/classpath-engine.txt\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        project.resolve("submit"), PosixFilePermissions.fromString("rwxr-xr-x"));

    String first = stderr(project, bin);
    assertTrue(
        first.contains(
            "llm-sweep: first use: building the project (mvn package -DskipTests), about 1 minute"),
        first);
    assertTrue(first.matches("(?s).*llm-sweep: built in \\d+ s\\n.*"), first);

    // a source newer than the last build: rebuilt, with the last build's time as the estimate
    Files.setLastModifiedTime(
        project.resolve("pom.xml"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    String again = stderr(project, bin);
    assertTrue(
        again.matches(
            "(?s)llm-sweep: sources changed, rebuilding \\(mvn package -DskipTests; the last build"
                + " took \\d+ s\\)\\.\\.\\..*"),
        again);
  }

  /**
   * Runs {@code submit --version} (java then fails on the empty classpath, which is not the point)
   * and returns stderr.
   */
  private static String stderr(Path project, Path bin) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(project.resolve("submit").toString(), "--version")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("LLM_SWEEP_NO_BUILD");
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher ended");
    return err;
  }
}
