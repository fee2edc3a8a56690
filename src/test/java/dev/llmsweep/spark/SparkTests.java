package dev.llmsweep.spark;

import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Planner;
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

/** Spark sessions for tests: local mode, and a real multi-executor local-cluster. */
final class SparkTests {
  private SparkTests() {}

  static Map<String, String> local() {
    return SparkSettings.resolve(Map.of(), Map.of(), Map.of(), Map.of("spark.master", "local[1]"));
  }

  /**
   * {@code local-cluster[...]}: master and workers in this JVM, executors as separate JVMs started
   * with this JVM's (absolute) classpath and module flags, DJL offline.
   */
  static Map<String, String> localCluster(String master) {
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
                        || a.startsWith("-Dio.netty"))
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
  static void awaitExecutors(SparkSession spark, int n, long timeoutMillis)
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

  static Path jobFile(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name + ".conf"), text);
  }

  static Plan plan(Path job) {
    return Planner.plan(job);
  }

  static SweepJob sweep(SparkSession spark, RunStore store, String runId, String factory) {
    return new SweepJob(
        spark,
        store,
        new SweepJob.Options(runId, factory, new PrintStream(System.out, true), "test", null));
  }

  static Dataset<Row> requests(SparkSession spark, RunStore store, String runId) {
    return spark.read().parquet(store.at(runId).dir() + "/raw/*/requests.parquet");
  }

  static Dataset<Row> batches(SparkSession spark, RunStore store, String runId) {
    return spark.read().parquet(store.at(runId).dir() + "/raw/*/batches.parquet");
  }
}
