package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.engine.LocalDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer mistypes, each answered with one line naming what was wrong and what is accepted,
 * exit 2, nothing written; and the plain output of {@code plan} and {@code generate}. No Spark
 * starts here.
 */
class OneLineErrorsTest {
  @TempDir Path dir;

  private static String oneLine(Outcome r) {
    assertEquals(2, r.code(), r.err() + r.out());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(1, lines.size(), "one line: " + r.err());
    assertTrue(lines.get(0).startsWith("error: "), r.err());
    return lines.get(0);
  }

  @Test
  void anUnknownSubcommandNamesTheClosestOne() {
    String line = oneLine(Submit.run("recomend", "--budget", "2.5"));
    assertTrue(
        line.startsWith(
            "error: unknown subcommand 'recomend'; did you mean 'recommend'? accepted: run, plan,"),
        line);
    line = oneLine(Submit.run("benchmark", "jobs/quickstart.conf"));
    assertTrue(
        line.startsWith("error: unknown subcommand 'benchmark'; did you mean 'bench-"), line);
    assertTrue(line.endsWith("or a job file (./submit jobs/quickstart.conf)"), line);
  }

  @Test
  void generateWithoutAPromptSaysWhatItNeeds() {
    String line = oneLine(Submit.run("generate"));
    assertEquals(
        "error: missing required argument: one of --prompt=<prompt> | --input-ids=<inputIds>; usage: ./submit"
            + " generate --help",
        line);
  }

  @Test
  void aHalfWrittenJobFileIsFileLine() throws Exception {
    Path job = dir.resolve("half.conf");
    Files.writeString(
        job, "name = half\nexperiments = [\n  { name = x, axes { batch_size = [1, 2\n");
    String line = oneLine(Submit.run("plan", job.toString()));
    assertEquals(
        "error: "
            + job
            + ":4: the file ends inside an unclosed '[' or '{' (half-written?); accepted: HOCON"
            + " with every bracket closed",
        line);
  }

  @Test
  void aGpuJobWithoutAGpuFailsWhilePlanning() throws Exception {
    assumeTrue(LocalDevices.gpuCount() == 0, "this machine has a GPU");
    Path job = dir.resolve("gpu.conf");
    Files.writeString(
        job,
        "name = g\nexperiments = [ { name = x, device = gpu, axes { prompt_tokens = 4 } } ]\n");
    String expected =
        "error: "
            + job
            + ": experiments[0] (x) device = gpu with master local[1]: no GPU on this machine"
            + " (devices found: cpu); accepted: device = cpu here, or --master/--conf-profile of a cluster with GPU"
            + " executors (e.g. standalone-gpu)";
    assertEquals(expected, oneLine(Submit.run("plan", job.toString())));
    Path results = dir.resolve("results");
    assertEquals(expected, oneLine(Submit.run(job.toString(), "--results", results.toString())));
    assertFalse(Files.exists(results), "nothing written");
    // planned for a cluster, the GPUs are the executors': the plan is printed
    Outcome cluster = Submit.run("plan", job.toString(), "--conf-profile", "standalone-gpu");
    assertEquals(0, cluster.code(), cluster.err());
    String generate = oneLine(Submit.run("generate", "--device", "gpu:0", "--prompt", "hi"));
    assertEquals(
        "error: --device gpu:0: no GPU on this machine (devices found: cpu); accepted: --device cpu",
        generate);
  }

  @Test
  void planPutsEveryValueUnderItsHeading() {
    Outcome r = Submit.run("plan", "jobs/quickstart.conf");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    String header = lines.get(1);
    String row = lines.get(2);
    assertTrue(
        header.matches("\\s+# +experiment +point_id +model +device +dtype +batch .*"), header);
    assertEquals("synthetic:small-6m", row.substring(header.indexOf("model")).split(" ")[0], row);
    assertEquals("cpu", row.substring(header.indexOf("device")).split(" ")[0], row);
    assertEquals("float32", row.substring(header.indexOf("dtype")).split(" ")[0], row);
    int batch = header.indexOf("batch") + "batch".length();
    assertEquals(
        "1",
        row.substring(0, batch).strip().replaceAll(".* ", ""),
        "batch right-aligned under batch: " + row);
  }

  @Test
  void generatePrintsNoControlBytes() {
    assertEquals("a\\x1b[2Jb\\x07\\nc\\tdé", GenerateCommand.printable("a\u001b[2Jb\u0007\nc\tdé"));
    Submit.Outcome o =
        Submit.run(
            "generate",
            "--prompt",
            "The future of AI is",
            "--max-tokens",
            "24",
            "--seed",
            "3",
            "--temperature",
            "1.3");
    assertEquals(0, o.code(), o.err());
    assertTrue(
        o.out().chars().noneMatch(c -> c != '\n' && Character.getType(c) == Character.CONTROL),
        "control bytes in: " + o.out());
  }
}
