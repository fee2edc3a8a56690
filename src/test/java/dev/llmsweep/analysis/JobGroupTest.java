package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.store.TestRuns;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job group a caller set is still there after an aggregation (what the Spark UI shows for the
 * caller's next jobs): the aggregation's own group is restored away, not cleared. On a run of one
 * point: the group is set and restored around the whole aggregation, whatever the run's size (the
 * sweep fixture's 14 points cost this test 22 s of the suite, for the same claim).
 */
@SparkOnly
class JobGroupTest {
  @TempDir Path dir;

  @Test
  void anAggregationRestoresTheCallersJobGroup() {
    SparkSession spark = TestSpark.newSession();
    new RawRows(spark, dir, "r1")
        .add(
            RawRows.Point.batch("one", 1),
            List.of(
                new RawRows.Request(
                    0, false, false, 0, "1", 6, 10, 5, new double[] {1}, 1.0, 90, "length")),
            List.of(new RawRows.Batch(0, false, false, "1", 100, 10)),
            1)
        .commit();
    SparkContext sc = spark.sparkContext();
    sc.setJobGroup("nightly", "the caller's jobs", true);
    assertEquals(1, Aggregator.aggregate(spark, TestRuns.open(spark, dir.toString(), "r1")));
    assertEquals("nightly", sc.getLocalProperty("spark.jobGroup.id"));
    assertEquals("the caller's jobs", sc.getLocalProperty("spark.job.description"));
    assertEquals("true", sc.getLocalProperty("spark.job.interruptOnCancel"));
    sc.clearJobGroup();
  }
}
