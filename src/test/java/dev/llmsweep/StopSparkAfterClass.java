package dev.llmsweep;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops the Spark context a test class leaves running (the default and the thread's active
 * session), so that the next class in a reused JVM starts its own with its own master and settings,
 * as it would in a fresh JVM. Registered for every test class (META-INF/services,
 * junit-platform.properties).
 */
public final class StopSparkAfterClass implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    stopAnyContext();
  }

  /** Stops the running Spark context, if any. */
  public static synchronized void stopAnyContext() {
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      running.get().stop();
    }
    running = SparkSession.getActiveSession();
    if (running.isDefined()) {
      running.get().stop();
    }
    SparkSession.clearDefaultSession();
    SparkSession.clearActiveSession();
  }
}
