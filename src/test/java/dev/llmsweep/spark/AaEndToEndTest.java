package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.cli.Submit;
import dev.llmsweep.job.Plan;
import dev.llmsweep.store.RunStore;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue-11 acceptance test: the quickstart job ({@code jobs/quickstart.conf}, as it is) run
 * twice and compared with {@code ./submit compare} finds no change and exits 0. The engine is
 * {@link NoisyGenerators}, on purpose: this test is about the statistics (the generate call as the
 * unit, Holm over the run's figures, the threshold), and two runs of the real engine on a busy
 * 2-core CI machine differ for real (another process's load is a real slowdown), so no statistics
 * could call them equal. NoisyGenerators' two runs are independent draws of one engine with the
 * real engine's clustering (every request of a call shares its timestamps), so the comparison must
 * say "no change" on any machine; it fails if the intervals collapse again (resampling requests
 * instead of calls turns the batch-16 and batch-64 points' call-to-call noise into "significant"
 * changes). The sweeps run on one local session without the run's report (other tests cover that);
 * compare is the command as a user runs it. The real engine's A/A comparison on a quiet machine is
 * in the closing note.
 */
@SparkOnly
class AaEndToEndTest {
  @TempDir Path dir;

  @Test
  void theQuickstartRunTwiceComparesWithoutAChange() throws Exception {
    TestSpark.stopAnyContext();
    SparkSession spark = SparkSettings.session(TestSpark.local());
    String root = dir.resolve("results").toString();
    try {
      Plan plan = TestSpark.plan(Path.of("jobs/quickstart.conf"));
      RunStore store = RunStore.open(root, spark.sparkContext().hadoopConfiguration());
      for (String run : new String[] {"a1", "a2"}) {
        NoisyGenerators.RUN_SEED.set(run.hashCode());
        SweepJob.Result r =
            TestSpark.sweep(spark, store, run, NoisyGenerators.class.getName()).run(plan);
        assertEquals("completed", r.manifest().status().label());
      }
    } finally {
      spark.stop();
    }
    Submit.Outcome c = Submit.run("compare", "--run", "a2", "--baseline", "a1", "--results", root);
    assertEquals(0, c.code(), c.err() + c.out());
    assertTrue(
        c.out()
            .lines()
            .anyMatch(l -> l.matches("0 slower, 0 faster, \\d+ no significant change, .*")),
        c.out());
    assertTrue(c.out().strip().endsWith("no significant regression against baseline a1"), c.out());
  }
}
