package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.SparkOnly;
import dev.llmsweep.spark.FailingGenerators;
import dev.llmsweep.spark.FakeGenerators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./submit JOB} as a user runs it, with the fake engine through the {@code
 * spark.llmsweep.generatorFactory} hook: a point that fails (an injected CUDA out-of-memory error)
 * is reported in the summary and the {@code failures} view and makes the exit code 1 while the rest
 * is committed and aggregated; resuming a run with a changed job file is refused with exit 2,
 * nothing of the run changed, and the message says how to start a new run.
 */
@SparkOnly
class RunReliabilityTest {
  @TempDir static Path dir;

  @org.junit.jupiter.api.BeforeEach
  void ownSpark() {
    dev.llmsweep.analysis.TestSpark.stopAnyContext(); // each run starts its own embedded local[1]
  }

  @AfterEach
  void noMoreFailures() {
    FailingGenerators.FAIL_BATCH.set(0);
  }

  /**
   * A job on a model directory of this test's own: the executor's model cache is keyed by model, so
   * another test's fake engine loaded for {@code tiny} is not reused here.
   */
  private static Path job(String reps) throws Exception {
    Path model = dir.resolve("model");
    if (!Files.isDirectory(model)) {
      Files.createDirectories(model);
      for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) {
        Files.copy(dev.llmsweep.Fixtures.dir("tiny-llama").resolve(f), model.resolve(f));
      }
    }
    return Files.writeString(
        dir.resolve("job.conf"),
        """
        experiments = [
          { name = b, model = "%s", axes { batch_size = [1, 4, 2], max_tokens = 3, prompt_tokens = 2 }
            repetitions = %s }
        ]
        """
            .formatted(model, reps));
  }

  @Test
  void aFailedPointIsInTheSummaryAndTheFailuresViewAndTheExitCode() throws Exception {
    String root = dir.resolve("failed-point").toString();
    FailingGenerators.FAIL_BATCH.set(4);
    Outcome run =
        submit(
            job("2").toString(),
            "--results",
            root,
            "--run-id",
            "r1",
            "--conf",
            "spark.llmsweep.generatorFactory=" + FailingGenerators.class.getName());
    assertEquals(1, run.code(), run.all());
    assertTrue(
        run.out()
            .contains(
                "[llm-sweep] run r1 completed_with_failures: 2 points committed (2 ran now, 0 resumed),"
                    + " 1 failed"),
        run.out());
    assertTrue(
        run.out()
            .contains(
                "b, batch 4, max_tokens 3) out_of_memory during generate: engine call failed <- CUDA"
                    + " out of memory"),
        run.out());
    assertTrue(
        run.out().contains("points table: "), "the committed points are aggregated: " + run.out());
    assertTrue(
        run.out().contains("1 of 3 points failed: ./submit sql --results " + root + " --run-id r1"),
        run.out());
    Outcome sql =
        submit(
            "sql",
            "--results",
            root,
            "--run-id",
            "r1",
            "--format",
            "csv",
            "SELECT batch_size, reason, model_discarded FROM failures");
    assertEquals(0, sql.code(), sql.all());
    assertTrue(sql.out().contains("4,out_of_memory,true"), sql.out());
    Outcome sweep =
        submit(
            "sql",
            "--results",
            root,
            "--run-id",
            "r1",
            "--format",
            "csv",
            "SELECT batch_size FROM batch_sweep ORDER BY batch_size");
    assertEquals(List.of("batch_size", "1", "2"), sweep.out().lines().toList());
  }

  private static Outcome completedRun;

  /**
   * Run r1 of {@link #job} on the fake engine under {@code results}, once for the two tests that
   * read it: its points all committed, its report blocked ({@code report.html} a directory).
   */
  private static synchronized Outcome completedRun() throws Exception {
    if (completedRun == null) {
      Path blocked = Files.createDirectories(dir.resolve("results/r1/report.html"));
      Files.writeString(blocked.resolve("keep"), "a directory where the report goes");
      completedRun =
          submit(
              job("2").toString(),
              "--results",
              dir.resolve("results").toString(),
              "--run-id",
              "r1",
              "--conf",
              "spark.llmsweep.generatorFactory=" + FakeGenerators.class.getName());
    }
    return completedRun;
  }

  @Test
  void resumingWithAChangedJobFileIsRefused() throws Exception {
    String root = dir.resolve("results").toString();
    String fake = "spark.llmsweep.generatorFactory=" + FakeGenerators.class.getName();
    Outcome first = completedRun();
    assertEquals(0, first.code(), first.all());
    Path run = dir.resolve("results/r1");
    String manifest = Files.readString(run.resolve("manifest.json"));
    List<String> files = tree(run);

    Outcome changed =
        submit(job("3").toString(), "--results", root, "--run-id", "r1", "--conf", fake);
    assertEquals(2, changed.code(), changed.all());
    assertTrue(
        changed
            .err()
            .startsWith(
                "error: --run-id r1: that run was started by job file " + dir.resolve("job.conf")),
        changed.err());
    assertTrue(changed.err().contains("resolves to a different job"), changed.err());
    assertTrue(
        changed.err().contains("leave out --run-id (a fresh run id is made)"), changed.err());
    assertFalse(changed.err().contains("\tat "), "no stack trace");
    assertEquals(
        manifest,
        Files.readString(run.resolve("manifest.json")),
        "the run's manifest is untouched");
    assertEquals(files, tree(run), "no file of the run added or removed");

    Outcome fresh = submit(job("3").toString(), "--results", root, "--conf", fake);
    assertEquals(0, fresh.code(), fresh.all());
    JsonNode m = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
    assertEquals("completed", m.path("status").asText());
    try (Stream<Path> runs = Files.list(dir.resolve("results"))) {
      assertEquals(2, runs.count(), "a new run beside r1");
    }
  }

  /**
   * A report that cannot be written (here: {@code report.html} is a directory) after every point is
   * committed: the run still exits 0 and stays {@code completed}, says the report failed and how to
   * write it again, and that command then works.
   */
  @Test
  void aReportFailureAfterCommittedPointsKeepsTheRunsStatusAndExitCode() throws Exception {
    String root = dir.resolve("results").toString();
    Path blocked = dir.resolve("results/r1/report.html");
    Outcome run = completedRun();
    assertEquals(0, run.code(), run.all());
    assertTrue(run.out().contains("[llm-sweep] run r1 completed: 3 points committed"), run.out());
    String failed =
        run.out()
            .lines()
            .filter(l -> l.startsWith("[llm-sweep] report failed"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(run.all()));
    assertTrue(failed.contains("the run's results are committed and unchanged"), failed);
    assertTrue(
        failed.endsWith("write it again with ./submit report --results " + root + " --run-id r1"),
        failed);
    JsonNode m = new ObjectMapper().readTree(dir.resolve("results/r1/manifest.json").toFile());
    assertEquals("completed", m.path("status").asText());
    assertEquals(3, m.path("points_committed").asInt());

    Files.delete(blocked.resolve("keep"));
    Files.delete(blocked);
    Outcome again = submit("report", "--results", root, "--run-id", "r1");
    assertEquals(0, again.code(), again.all());
    assertTrue(Files.isRegularFile(dir.resolve("results/r1/report.html")), again.all());
  }

  /**
   * One definition of a run for every command: a run whose every point failed is the latest run,
   * the hint printed after it works as printed, and {@code recommend} and {@code compare} name it
   * and where its failures are instead of saying it does not exist.
   */
  @Test
  void aRunWhosePointsAllFailedIsARunForEveryCommand() throws Exception {
    String root = dir.resolve("all-failed").toString();
    Outcome good =
        submit(
            job("2").toString(),
            "--results",
            root,
            "--run-id",
            "good",
            "--conf",
            "spark.llmsweep.generatorFactory=" + FakeGenerators.class.getName());
    assertEquals(0, good.code(), good.all());
    Thread.sleep(
        1100); // the latest run is the one written to last: a coarse filesystem clock must see it
    FailingGenerators.FAIL_BATCH.set(4);
    Path other =
        dir.resolve(
            "failing-model"); // its own model: the executor's cache holds the fake one of the first
    // run
    Files.createDirectories(other);
    for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) {
      Files.copy(dir.resolve("model").resolve(f), other.resolve(f));
    }
    Path allFail =
        Files.writeString(
            dir.resolve("fails.conf"),
            """
        experiments = [
          { name = f, model = "%s", axes { batch_size = 4, max_tokens = 3, prompt_tokens = 2 } }
        ]
        """
                .formatted(other));
    Outcome failed =
        submit(
            allFail.toString(),
            "--results",
            root,
            "--run-id",
            "bad",
            "--conf",
            "spark.llmsweep.generatorFactory=" + FailingGenerators.class.getName());
    assertEquals(1, failed.code(), failed.all());
    String hint =
        failed
            .out()
            .lines()
            .filter(l -> l.contains("points failed: ./submit sql"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        hint.contains(
            "1 of 1 points failed: ./submit sql --results "
                + root
                + " --run-id bad"
                + " \"SELECT * FROM failures\""),
        hint);
    // the command the hint prints, as a user would paste it
    Outcome failures =
        submit(
            "sql",
            "--results",
            root,
            "--run-id",
            "bad",
            "--format",
            "csv",
            "SELECT * FROM failures");
    assertEquals(0, failures.code(), failures.all());
    assertTrue(
        failures.out().lines().anyMatch(l -> l.startsWith("bad,") && l.contains("out_of_memory")),
        failures.out());

    String noPoints = "run 'bad' has no committed points yet (1 failed; see them with ./submit sql";
    Outcome recommend = submit("recommend", "--results", root, "--budget", "2.5");
    assertEquals(2, recommend.code(), recommend.all());
    assertTrue(
        recommend.err().contains(noPoints), "the latest run is the failed one: " + recommend.err());
    Outcome compare = submit("compare", "--results", root, "--baseline", "good");
    assertEquals(2, compare.code(), compare.all());
    assertTrue(compare.err().contains(noPoints), compare.err());
    Outcome asBaseline = submit("compare", "--results", root, "--run", "good", "--baseline", "bad");
    assertEquals(2, asBaseline.code(), asBaseline.all());
    assertTrue(asBaseline.err().contains(noPoints), asBaseline.err());
    Outcome unknown = submit("sql", "--results", root, "--run-id", "nope", "SELECT 1");
    assertEquals(2, unknown.code(), unknown.all());
    assertTrue(unknown.err().contains("runs there: good, bad"), unknown.err());
    Outcome every =
        submit(
            "sql",
            "--results",
            root,
            "--all-runs",
            "--format",
            "csv",
            "SELECT (SELECT count(*) FROM failures) AS failed, (SELECT count(DISTINCT run_id) FROM points) AS measured");
    assertEquals(List.of("failed,measured", "1,1"), every.out().lines().toList(), every.all());
  }

  private static List<String> tree(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.map(p -> dir.relativize(p) + "@" + p.toFile().lastModified()).sorted().toList();
    }
  }

  record Outcome(int code, String out, String err) {
    String all() {
      return "stdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** Runs submit in-process ({@link Submit}: System.out too, where the run's progress goes). */
  private static Outcome submit(String... args) {
    Submit.Outcome r = Submit.run(args);
    return new Outcome(r.code(), r.out(), r.err());
  }
}
