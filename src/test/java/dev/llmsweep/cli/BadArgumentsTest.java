package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.cli.Submit.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad {@code submit} arguments around a good job file: exit 2, a message naming the argument,
 * nothing written.
 */
class BadArgumentsTest {
  @TempDir Path dir;

  private void rejected(String expected, String... extra) {
    Path results = dir.resolve("results");
    String[] args = new String[extra.length + 3];
    args[0] = "jobs/quickstart.conf";
    args[1] = "--results";
    args[2] = results.toString();
    System.arraycopy(extra, 0, args, 3, extra.length);
    Outcome r = Submit.run(args);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
    assertFalse(Files.exists(results), "nothing written");
  }

  @Test
  void runIdThatIsNotADirectoryName() {
    rejected(
        "--run-id '../elsewhere' is not accepted: use letters, digits", "--run-id", "../elsewhere");
  }

  @Test
  void unknownProfileListsTheShippedOnes() {
    rejected(
        "--conf-profile gpu-cluster: no such profile; accepted: a properties file, or one of k8s-cpu, k8s-gpu, local-cpu,",
        "--conf-profile",
        "gpu-cluster");
  }

  /**
   * A cluster master with nothing to send the application jar: exit 2 with one line saying what to
   * set, from the launcher (before it builds anything) and from the command itself.
   */
  @Test
  void aClusterMasterWithoutSparkSubmitSaysWhatToSet() throws Exception {
    String expected =
        "--master spark://127.0.0.1:7077 needs spark-submit to send the application jar to the cluster;"
            + " set SPARK_HOME to a Spark 4.0.1 installation, put spark-submit on the PATH, or set"
            + " LLM_SWEEP_SPARK_SUBMIT=builtin";
    rejected(expected, "--master", "spark://127.0.0.1:7077");
    ProcessBuilder pb =
        new ProcessBuilder(
            "./submit",
            "jobs/quickstart.conf",
            "--results",
            dir.resolve("results").toString(),
            "--master",
            "spark://127.0.0.1:7077");
    pb.environment().remove("SPARK_HOME");
    pb.environment().remove("LLM_SWEEP_SPARK_SUBMIT");
    pb.environment().put("PATH", "/usr/bin:/bin");
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/usr/bin/spark-submit")));
    Process p = pb.start();
    String err =
        new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, p.waitFor(), err);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("error: " + expected), err);
    assertFalse(Files.exists(dir.resolve("results")), "nothing written");
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
