package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.store.TestRuns;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The job group a caller set is still there after an aggregation (what the Spark UI shows for the
 * caller's next jobs): the aggregation's own group is restored away, not cleared.
 */
@SparkOnly
class JobGroupTest {
  @Test
  void anAggregationRestoresTheCallersJobGroup() {
    SparkSession spark = TestSpark.newSession();
    SparkContext sc = spark.sparkContext();
    sc.setJobGroup("nightly", "the caller's jobs", true);
    Aggregator.aggregate(
        spark, TestRuns.open(spark, SweepFixture.root().toString(), SweepFixture.RUN));
    assertEquals("nightly", sc.getLocalProperty("spark.jobGroup.id"));
    assertEquals("the caller's jobs", sc.getLocalProperty("spark.job.description"));
    assertEquals("true", sc.getLocalProperty("spark.job.interruptOnCancel"));
    sc.clearJobGroup();
  }
}
