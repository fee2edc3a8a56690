package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad {@code submit} arguments around a good job file: exit 2, a message naming the argument, nothing written. */
class BadArgumentsTest {
  @TempDir
  Path dir;

  private void rejected(String expected, String... extra) {
    Path results = dir.resolve("results");
    String[] args = new String[extra.length + 3];
    args[0] = "jobs/quickstart.conf";
    args[1] = "--results";
    args[2] = results.toString();
    System.arraycopy(extra, 0, args, 3, extra.length);
    CliRun r = CliRun.of(args);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
    assertFalse(Files.exists(results), "nothing written");
  }

  @Test
  void runIdThatIsNotADirectoryName() {
    rejected("--run-id '../elsewhere' is not accepted: use letters, digits", "--run-id", "../elsewhere");
  }

  @Test
  void unknownProfileListsTheShippedOnes() {
    rejected("--conf-profile gpu-cluster: no such profile; accepted: a properties file, or one of k8s-gpu, local-cpu",
        "--conf-profile", "gpu-cluster");
  }

  @Test
  void confWithoutKeyValue() {
    rejected("--conf executor.memory: expected spark.KEY=VALUE", "--conf", "executor.memory");
  }

  @Test
  void unknownOption() {
    rejected("Unknown options: '--resluts', 'x'", "--resluts", "x");
  }
}
