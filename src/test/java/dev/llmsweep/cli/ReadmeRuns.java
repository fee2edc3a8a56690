package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runs {@link ReadmeCommandsTest} shares: one quickstart (then the same command again, which
 * resumes it) and one bench-harness run of the same job in one results root under {@code dir}, each
 * made once for every test that needs it.
 */
final class ReadmeRuns {
  /**
   * jobs/quickstart.conf at its smallest: each experiment's max_tokens cut (32 to 8, 8..64 to
   * 2..16, 16 to 4), its repetitions (20 to 4, 10 to 3), one warm-up call per point and no model
   * warm-up: its points, batch sizes and prompts as they are, its decode steps a small share.
   */
  final Path job;

  private final Path dir;
  private Outcome quickstart;
  private Outcome resumed;
  private Outcome harness;

  /** Writes the smallest job under {@code dir}; runs nothing yet. */
  ReadmeRuns(Path dir) throws IOException {
    this.dir = dir;
    String small = Files.readString(Path.of("jobs/quickstart.conf"));
    for (String[] cut :
        List.of(
            new String[] {"max_tokens = 32\n", "max_tokens = 8\n", "1"},
            new String[] {"max_tokens = [8, 16, 32, 64]", "max_tokens = [2, 4, 8, 16]", "1"},
            new String[] {"max_tokens = 16\n", "max_tokens = 4\n", "1"},
            new String[] {"repetitions = 20", "repetitions = 4", "1"},
            new String[] {"repetitions = 10", "repetitions = 3", "2"},
            new String[] {
              "  warmups = 1\n", "  warmups = 1\n  warmup_max = 1\n  model_warmup_s = 0\n", "1"
            })) {
      assertEquals(
          Integer.parseInt(cut[2]),
          small.split(Pattern.quote(cut[0]), -1).length - 1,
          "jobs/quickstart.conf changed: cut " + cut[0].strip() + " where?");
      small = small.replace(cut[0], cut[1]);
    }
    job =
        Files.writeString(
            Files.createDirectories(dir.resolve("jobs")).resolve("quickstart.conf"), small);
  }

  /**
   * The results root of the shared runs (the quickstart's run is there: see {@link
   * #quickstartRun}).
   */
  Path root() {
    return dir.resolve("results");
  }

  /** The shared results root, after the quickstart has filled it. */
  Path results() {
    quickstartRun();
    return root();
  }

  /**
   * The quickstart, as the README runs it (into the shared root), once for every test that needs
   * it.
   */
  synchronized Outcome quickstart() {
    if (quickstart == null) {
      TestSpark.stopAnyContext(); // the run starts its own local[1]
      quickstart = Submit.run(job.toString(), "--results", root().toString());
    }
    return quickstart;
  }

  /** The quickstart's command again with its run id: it resumes the completed run. */
  synchronized Outcome resumed() {
    if (resumed == null) {
      String run = quickstartRun();
      TestSpark.stopAnyContext();
      resumed = Submit.run(job.toString(), "--results", root().toString(), "--run-id", run);
    }
    return resumed;
  }

  String quickstartRun() {
    Outcome o = quickstart();
    Matcher m = Pattern.compile("\\[llm-sweep\\] run (\\S+) completed").matcher(o.out());
    assertTrue(o.code() == 0 && m.find(), () -> "the quickstart failed: " + o.err() + o.out());
    return m.group(1);
  }

  /**
   * bench-harness, one round: a second run of the quickstart job in the shared root, after the
   * first.
   */
  synchronized Outcome harness() {
    if (harness == null) {
      quickstart(); // the second run of the job in the root: compare's "previous" is the first
      TestSpark.stopAnyContext();
      harness =
          Submit.run(
              "bench-harness", job.toString(), "--rounds", "1", "--results", root().toString());
    }
    return harness;
  }

  String harnessRun() {
    String first = quickstartRun();
    Outcome o = harness();
    assertEquals(0, o.code(), () -> "bench-harness failed: " + o.err() + o.out());
    try (Stream<Path> runs = Files.list(root())) {
      List<String> others =
          runs.map(p -> p.getFileName().toString()).filter(n -> !n.equals(first)).toList();
      assertEquals(1, others.size(), "runs under the shared root: " + others);
      return others.get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
