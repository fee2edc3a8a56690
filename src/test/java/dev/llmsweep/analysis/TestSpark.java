package dev.llmsweep.analysis;

import org.apache.spark.sql.SparkSession;

/**
 * One small local[2] Spark context for every analysis test class in this JVM. Tests that need a
 * context of their own (another master) stop it first with {@link #stopAnyContext}; it is made
 * again on next use.
 */
public final class TestSpark {
  private static SparkSession shared;

  private TestSpark() {}

  /** A fresh session (own temp views, functions and SQL conf) on the shared context. */
  public static synchronized SparkSession newSession() {
    if (shared == null || shared.sparkContext().isStopped()) {
      org.apache.logging.log4j.core.config.Configurator.setRootLevel(
          org.apache.logging.log4j.Level.WARN);
      shared =
          SparkSession.builder()
              .master("local[2]")
              .appName("llm-sweep-analysis-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "3")
              // many small input partitions, so that a point's rows are pooled from several tasks
              .config("spark.sql.files.maxPartitionBytes", "2048")
              .config("spark.sql.files.openCostInBytes", "0")
              .getOrCreate();
    }
    return shared.newSession();
  }

  /**
   * Stops the Spark context this JVM holds, if any, so that the caller's builder starts one with
   * its own master and settings instead of joining another test class's (test classes share the
   * JVM, in an order that depends on the file system).
   */
  public static synchronized void stopAnyContext() {
    dev.llmsweep.StopSparkAfterClass.stopAnyContext();
  }
}
