package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.store.RunStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-executor cluster on this machine ({@code local-cluster[2,1,1024]}: two executor
 * JVMs) running the real tiny model: points spread over both executors, each executor JVM loads the
 * model once, and every point is committed exactly once (an executor killed mid-sweep: {@code
 * cli.StandaloneClusterTest}, on a standalone cluster through {@code ./submit}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSweepTest {
  static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws InterruptedException {
    TestSpark.stopAnyContext();
    spark = SparkSettings.session(TestSpark.localCluster("local-cluster[2,1,1024]"));
    TestSpark.awaitExecutors(spark, 2, 120_000);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  @Order(1)
  void pointsSpreadOverExecutorsThatLoadTheModelOnce() throws Exception {
    Path job =
        TestSpark.jobFile(
            dir,
            "spread",
            """
        experiments = [
          { name = spread, prompts = ["The future of AI is"]
            axes { batch_size = [1, 2, 4, 8], max_tokens = [8, 24] }, repetitions = 2, warmups = 1,
            warmup_max = 1 }
        ]
        """);
    Plan plan = TestSpark.plan(job);
    RunStore store =
        RunStore.open(
            dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
    SweepJob.Result r = TestSpark.sweep(spark, store, "spread-run", null).run(plan);

    JsonNode m = store.run("spread-run").manifest();
    JsonNode executors = m.get("executors");
    assertTrue(executors.size() >= 2, "at least two executors ran points: " + executors);
    Set<String> ids = new HashSet<>();
    for (JsonNode e : executors) {
      assertTrue(ids.add(e.get("executor_id").asText()));
      assertTrue(e.get("points").asInt() >= 1);
      assertEquals(1, e.get("model_loads").asInt(), "each executor JVM loads the model once: " + e);
      assertTrue(
          !e.get("executor_id").asText().equals("driver"), "executors, not the driver, ran points");
    }
    assertEquals(
        8, r.reports().stream().filter(x -> x.outcome() == PointReport.Outcome.COMMITTED).count());
    assertExactlyOnce(store, "spread-run", plan, 3);
    Set<String> rowExecutors =
        TestSpark.requests(spark, store, "spread-run")
            .select("executor_id")
            .distinct()
            .collectAsList()
            .stream()
            .map(x -> x.getString(0))
            .collect(Collectors.toSet());
    assertEquals(ids, rowExecutors, "rows name the executors that ran them");
  }

  /** Every planned point has exactly its own rows: calls x batch requests and calls batch rows. */
  private static void assertExactlyOnce(RunStore store, String run, Plan plan, int calls) {
    Map<String, Long> requests =
        counts(TestSpark.requests(spark, store, run).groupBy("point_id").count());
    Map<String, Long> batches =
        counts(TestSpark.batches(spark, store, run).groupBy("point_id").count());
    Set<String> planned = plan.points().stream().map(Point::pointId).collect(Collectors.toSet());
    assertEquals(planned, requests.keySet(), "no point missing, none extra");
    for (Point p : plan.points()) {
      assertEquals(
          (long) calls * p.shape().batchSize(),
          requests.get(p.pointId()),
          "request rows of " + p.label());
      assertEquals((long) calls, batches.get(p.pointId()), "batch rows of " + p.label());
    }
    long distinctCalls =
        TestSpark.batches(spark, store, run).select("point_id", "repetition").distinct().count();
    assertEquals((long) calls * plan.points().size(), distinctCalls, "no call recorded twice");
  }

  private static Map<String, Long> counts(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> grouped) {
    return grouped.collectAsList().stream()
        .collect(Collectors.toMap(x -> x.getString(0), x -> x.getLong(1)));
  }
}
