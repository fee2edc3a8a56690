package dev.llmsweep.analysis;

import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Planner;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.spark.SweepJob;
import dev.llmsweep.store.RunStore;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The tests' one Spark base (as Iceberg's TestBase): its static helpers serve any test class, and a
 * class that runs sweeps extends it for its {@link #spark}, a {@code local[1]} session with the
 * job's resolved settings, started before the class and stopped after it.
 *
 * <p>The analysis tests share one small {@code local[2]} context instead ({@link #newSession}).
 * Tests that need a context of their own (another master) stop it first with {@link
 * #stopAnyContext}; it is made again on next use.
 */
public abstract class TestSpark {
  private static SparkSession shared;

  /** The session of a class that extends this one: local[1], as a sweep's settings resolve. */
  protected static SparkSession spark;

  @BeforeAll
  protected static void startLocalSession() {
    stopAnyContext();
    spark = SparkSettings.session(local());
  }

  @AfterAll
  protected static void stopLocalSession() {
    spark.stop();
  }

  /** Whether the shared context reads each file in one task ({@link #newWholeFileSession}). */
  private static boolean wholeFiles;

  /** A fresh session (own temp views, functions and SQL conf) on the shared context. */
  public static SparkSession newSession() {
    return session(false);
  }

  /**
   * {@link #newSession}, on a shared context that reads each file in one task (Spark's default
   * split size, as the commands outside the tests), for the classes whose tests are not about
   * pooling a point's rows from several tasks (the compare classes, those of {@link SweepFixture});
   * the commands they run in-process join this context. With {@link #newSession}'s 2 KB splits a
   * run of 12,000 request rows is read in hundreds of tasks, by every query of its points table and
   * comparisons.
   */
  public static SparkSession newWholeFileSession() {
    return session(true);
  }

  private static synchronized SparkSession session(boolean whole) {
    if (shared != null && !shared.sparkContext().isStopped() && wholeFiles != whole) {
      stopAnyContext();
    }
    if (shared == null || shared.sparkContext().isStopped()) {
      org.apache.logging.log4j.core.config.Configurator.setRootLevel(
          org.apache.logging.log4j.Level.WARN);
      SparkSession.Builder builder =
          SparkSession.builder()
              .master("local[2]")
              .appName("llm-sweep-analysis-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "3");
      if (!whole) {
        // many small input partitions, so that a point's rows are pooled from several tasks
        builder
            .config("spark.sql.files.maxPartitionBytes", "2048")
            .config("spark.sql.files.openCostInBytes", "0");
      }
      shared = builder.getOrCreate();
      wholeFiles = whole;
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

  /** A sweep's settings in local mode: {@code local[1]}. */
  public static Map<String, String> local() {
    return SparkSettings.resolve(Map.of(), Map.of(), Map.of(), Map.of("spark.master", "local[1]"));
  }

  /**
   * {@code local-cluster[...]}: master and workers in this JVM, executors as separate JVMs started
   * with this JVM's (absolute) classpath, module flags and JIT tier, DJL offline.
   */
  public static Map<String, String> localCluster(String master) {
    String cp =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> Path.of(p).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
    String opens =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--add-opens")
                        || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dio.netty")
                        // the driver's JIT tier: the spark-only classes' executors run no engine
                        // kernel either, and compile their Spark code with C1 alone
                        || a.startsWith("-XX:TieredStopAtLevel"))
            .collect(Collectors.joining(" "));
    Map<String, String> cli = new LinkedHashMap<>();
    cli.put("spark.master", master);
    cli.put("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
    cli.put("spark.executorEnv.SPARK_SQL_TESTING", "1");
    cli.put("spark.executorEnv.DJL_OFFLINE", "true");
    cli.put("spark.executorEnv.OPT_OUT_TRACKING", "true");
    cli.put("spark.executorEnv.RUST_FLAVOR", "cpu");
    cli.put("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    cli.put("spark.executor.extraClassPath", cp);
    cli.put(
        "spark.executor.extraJavaOptions",
        opens + " -Dai.djl.offline=true -Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    cli.put("spark.task.maxFailures", "4");
    return SparkSettings.resolve(Map.of(), Map.of(), Map.of(), cli);
  }

  /** Waits until {@code n} executors (besides the driver) have registered. */
  public static void awaitExecutors(SparkSession spark, int n, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "only "
                + (spark.sparkContext().statusTracker().getExecutorInfos().length - 1)
                + " executors registered, expected "
                + n);
      }
      Thread.sleep(100);
    }
  }

  public static Path jobFile(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name + ".conf"), text);
  }

  public static Plan plan(Path job) {
    return Planner.plan(job);
  }

  /** A sweep of {@code runId} into {@code store}, its progress on System.out. */
  public static SweepJob sweep(SparkSession spark, RunStore store, String runId, String factory) {
    return new SweepJob(
        spark,
        store,
        new SweepJob.Options(runId, factory, new PrintStream(System.out, true), "test", null));
  }

  public static Dataset<Row> requests(SparkSession spark, RunStore store, String runId) {
    return spark.read().parquet(store.at(runId).dir() + "/raw/*/requests.parquet");
  }

  public static Dataset<Row> batches(SparkSession spark, RunStore store, String runId) {
    return spark.read().parquet(store.at(runId).dir() + "/raw/*/batches.parquet");
  }
}
