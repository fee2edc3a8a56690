package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.RawRows;
import dev.llmsweep.analysis.RawRows.Batch;
import dev.llmsweep.analysis.RawRows.Point;
import dev.llmsweep.analysis.RawRows.Request;
import dev.llmsweep.analysis.RunTables;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit.Outcome;
import dev.llmsweep.store.TestRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code submit recommend} prints about its answers' uncertainty, on seeded runs of 40 calls a
 * point (tight intervals): a sharp knee is named alone, a budget that every batch size past the
 * knee fits (same throughput) is a tie, and a run of a job whose earlier run measured batch 16 as
 * fast as the knee gets the range "batch 8–16" from that run-to-run spread, saying so.
 */
@SparkOnly
class RecommendRangesTest {
  private static final int[] BATCH = {1, 2, 4, 8, 16, 32, 64};

  /**
   * A sharp knee at batch 8: latency flat up to it, throughput (100 tokens a request) flat after
   * it.
   */
  private static final double[] KNEE_S = {1.0, 1.0, 1.0, 1.0, 2.0, 4.0, 8.0};

  /** The same job's earlier run: batch 16 as fast as the knee. */
  private static final double[] EARLIER_S = {1.0, 1.0, 1.0, 1.0, 1.0, 4.0, 8.0};

  @TempDir static Path root;

  @BeforeAll
  static void runs() throws IOException {
    SparkSession spark = TestSpark.newWholeFileSession();
    write(spark, "knee-earlier", "knee", "2026-12-01T00:00:00Z", EARLIER_S);
    write(spark, "knee-later", "knee", "2026-12-02T00:00:00Z", KNEE_S);
    write(spark, "alone", "other", "2026-12-03T00:00:00Z", KNEE_S);
  }

  static void write(SparkSession spark, String run, String job, String startedAt, double[] latencyS)
      throws IOException {
    RawRows raw = new RawRows(spark, root, run);
    SplittableRandom jitter = new SplittableRandom(run.hashCode());
    for (int i = 0; i < BATCH.length; i++) {
      List<Request> requests = new ArrayList<>();
      List<Batch> batches = new ArrayList<>();
      for (int rep = 0; rep < 40; rep++) {
        double ms = latencyS[i] * 1000 * (1 + jitter.nextDouble(-0.01, 0.01));
        long tokens = 100L * BATCH[i];
        batches.add(new Batch(rep, false, false, "1", ms, tokens));
        requests.add(
            new Request(
                rep, false, false, 0, "1", 6, 100, 10, new double[] {1, 2}, 1.5, ms - 1, "length"));
      }
      raw.add(
          new Point("b" + BATCH[i], "batch", BATCH[i], 100, 6, 0.7, 0.9, 0), requests, batches, 1);
    }
    raw.commit();
    RunTables.writeRunRow(spark, root, run);
    Files.writeString(
        root.resolve(run).resolve("manifest.json"),
        "{\"run_id\": \""
            + run
            + "\", \"job_name\": \""
            + job
            + "\", \"status\": \"completed\", \"started_at\": \""
            + startedAt
            + "\"}\n");
    SparkSession aggregating = TestSpark.newWholeFileSession();
    Aggregator.aggregate(aggregating, TestRuns.open(aggregating, root.toString(), run));
  }

  static Outcome recommend(String run, double budget) {
    Outcome o =
        Submit.run(
            "recommend",
            "--budget",
            String.valueOf(budget),
            "--by",
            "p50",
            "--results",
            root.toString(),
            "--run-id",
            run);
    assertEquals(0, o.code(), o.err());
    return o;
  }

  /**
   * The line after the one starting with {@code prefix}: what the intervals leave open about that
   * answer.
   */
  static String after(Outcome o, String prefix) {
    List<String> lines = o.out().lines().toList();
    for (int i = 0; i < lines.size() - 1; i++) {
      if (lines.get(i).strip().startsWith(prefix)) {
        return lines.get(i + 1);
      }
    }
    throw new AssertionError("no line '" + prefix + "' in:\n" + o.out());
  }

  @Test
  void aSharpKneeIsNamedAloneAndAFlatTopIsATie() {
    Outcome o = recommend("alone", 10);
    assertTrue(
        o.out()
            .contains(
                "  95% intervals of each point (clustered by generate call); no earlier run of job"
                    + " 'other' under the results root"),
        o.out());
    assertTrue(o.out().contains("[recommended]: batch_size=8 (experiment batch"), o.out());
    assertEquals(
        "    batch 8 alone: every other batch size of the curve scores lower beyond the 95% intervals",
        after(o, "sweet spot (Kneedle"));
    // every batch size from 8 up makes 800 tokens/s: within the budget they cannot be told apart
    assertTrue(o.out().contains("  by p50: batch_size=8 (experiment batch"), o.out());
    assertEquals(
        "    cannot be told apart within the 95% intervals (the first preferred: the highest throughput at the"
            + " estimates):",
        after(o, "by p50:"));
    for (int b : new int[] {8, 16, 32, 64}) {
      assertTrue(o.out().contains("      batch_size=" + b + " (experiment batch"), o.out());
    }
    assertTrue(!o.out().contains("      batch_size=4 (experiment batch"), o.out());
    // a budget only the flat-latency batch sizes fit: batch 8's 800 tokens/s against batch 4's 400
    assertTrue(
        after(recommend("alone", 1.5), "by p50:")
            .startsWith("    a clear winner: no other configuration"));
  }

  @Test
  void theJobsEarlierRunWidensTheIntervalsIntoARange() {
    Outcome o = recommend("knee-later", 10);
    assertTrue(
        o.out()
            .contains(
                "  95% intervals of each point (clustered by generate call), widened to take in the same"
                    + " point's figures in 1 earlier run(s) of job 'knee' (knee-earlier)"),
        o.out());
    assertTrue(o.out().contains("[recommended]: batch_size=8 (experiment batch"), o.out());
    assertEquals(
        "    batch 8–16: the curve is flat within its 95% intervals (batch 8 preferred: the rule's pick at the"
            + " estimates)",
        after(o, "sweet spot (Kneedle"));
    // the earlier run itself is answered without the later one
    assertTrue(recommend("knee-earlier", 10).out().contains("no earlier run of job 'knee'"));
  }
}
