package dev.llmsweep.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of the analysis commands (driver side): the one spark-submit configured, or
 * an embedded {@code local[*]} one. Quiet: Spark's INFO logging would bury the answers.
 */
final class LocalSpark {
  private LocalSpark() {}

  /** A new session (own temporary views and settings) on the process's Spark context. */
  static SparkSession session() {
    Configurator.setRootLevel(Level.WARN);
    // globbed paths (raw/p-*/requests.parquet) make this logger warn with a stack trace, harmlessly
    Configurator.setLevel("org.apache.spark.sql.execution.streaming.FileStreamSink", Level.ERROR);
    SparkSession.Builder builder = SparkSession.builder().appName("llm-sweep");
    if (!new SparkConf().contains("spark.master")) {
      int cores = Runtime.getRuntime().availableProcessors();
      // embedded: listen on loopback only, no UI (nothing reachable from other hosts)
      builder.master("local[*]")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, 2 * cores)));
    }
    return builder.getOrCreate().newSession();
  }
}
