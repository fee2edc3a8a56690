package dev.llmsweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build names itself: the version and commit the build wrote into its classes are the pom's
 * version and this checkout's HEAD, or no commit outside git (the report, each SVG and the manifest
 * show them).
 */
class BuildTest {
  @Test
  void theBuildRecordsThePomVersionAndTheCommitItWasMadeFrom() throws Exception {
    Build b = Build.current();
    Matcher v =
        Pattern.compile("<artifactId>llm-sweep</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(v.find());
    assertEquals(v.group(1), b.version());
    Process git =
        new ProcessBuilder("git", "rev-parse", "HEAD")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(git.waitFor(30, TimeUnit.SECONDS));
    if (git.exitValue()
        != 0) { // built outside a git checkout (a source archive): no commit to name
      assertEquals(null, b.commit());
      assertEquals("llm-sweep " + v.group(1) + " (commit unknown)", b.describe());
      return;
    }
    assertEquals(head, b.commit());
    assertTrue(
        b.describe().startsWith("llm-sweep " + v.group(1) + " (commit " + head.substring(0, 12)),
        b.describe());
    assertEquals(b.dirty() ? head + "-dirty" : head, b.manifestCommit());
  }
}
