package dev.llmsweep.store;

import org.apache.spark.sql.SparkSession;

/**
 * Opens a run under a results root as the commands do (tests): the root must exist, the run too.
 */
public final class TestRuns {
  private TestRuns() {}

  /** Run {@code id} under {@code root}, with the session's Hadoop settings. */
  public static Run open(SparkSession spark, String root, String id) {
    return RunStore.openExisting(root, spark.sparkContext().hadoopConfiguration()).run(id);
  }
}
