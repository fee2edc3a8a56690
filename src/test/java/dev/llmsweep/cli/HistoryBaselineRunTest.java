package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job file whose compare block names a history ({@code baseline = "last:N"}, as jobs/nightly.conf
 * does) runs under a fresh results root: the first run has nothing to compare with and says so
 * (exit 0), the next compares itself with the runs there are. Until 2026-12-07 the launcher took
 * {@code last:5} for a run id and refused every such job before it ran. The job is the smallest
 * that shows it: two points, one fixed warm-up call each, no model warm-up (each run's warm-up
 * would otherwise take up to its default 30 s, for nothing this test looks at).
 */
class HistoryBaselineRunTest {
  @TempDir Path dir;

  @Test
  void aHistoryBaselineStartsEmptyAndGrows() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("nightly.conf"),
            """
            name = nightly
            compare { baseline = "last:5" }
            experiments = [
              { name = tiny_batch, model = tiny,
                axes { batch_size = [1, 2], max_tokens = 4, prompt_tokens = 4 }, repetitions = 2,
                warmups = 1, warmup_max = 1, model_warmup_s = 0 }
            ]
            """);
    String root = dir.resolve("results").toString();
    Submit.Outcome first = Submit.run(job.toString(), "--results", root, "--master", "local[1]");
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("nothing to compare with"), first.out());

    Submit.Outcome second = Submit.run(job.toString(), "--results", root, "--master", "local[1]");
    // 0, 3 or 4: two runs of a tiny model on a shared machine may differ for real
    assertTrue(
        second.code() == 0 || second.code() == 3 || second.code() == 4,
        second.out() + second.err());
    assertTrue(second.out().contains("baseline last:5: runs "), second.out());
    assertTrue(
        second.out().contains("run-to-run spread unknown"),
        "one earlier run: the spread cannot be estimated, and compare says so\n" + second.out());
  }
}
