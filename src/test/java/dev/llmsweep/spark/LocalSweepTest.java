package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps in local mode with the real tiny model: the raw rows Spark reads back, and a run
 * interrupted (its Spark job cancelled mid-sweep) then resumed with its run id.
 */
class LocalSweepTest extends TestSpark {

  @TempDir Path dir;

  @Test
  void rawRowsHaveEveryCallAndTheSchemaColumns() throws Exception {
    Path job =
        TestSpark.jobFile(
            dir,
            "rows",
            """
        experiments = [
          { name = rows, prompts = ["Hello there", "Hi"], axes { batch_size = [1, 3], max_tokens = 6 }
            repetitions = 2, warmups = 1, warmup_max = 1, ttft_proxy = true }
        ]
        """);
    Plan plan = TestSpark.plan(job);
    RunStore store =
        RunStore.open(
            dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
    SweepJob.Result r = TestSpark.sweep(spark, store, "rows-run", null).run(plan);
    assertEquals(2, r.manifest().points().committed());
    var requests = TestSpark.requests(spark, store, "rows-run");
    assertEquals(
        DataTypes.LongType,
        ((ArrayType) requests.schema().apply("token_ns").dataType()).elementType());
    assertEquals(
        DataTypes.DoubleType,
        ((ArrayType) requests.schema().apply("itl_ms").dataType()).elementType());
    for (Point p : plan.points()) {
      List<Row> rows = requests.where("point_id = '" + p.pointId() + "'").collectAsList();
      // 1 warm-up + 2 repetitions + 2 proxies, each a batch of batch_size requests
      assertEquals(5 * p.shape().batchSize(), rows.size());
      assertEquals(
          p.shape().batchSize(), rows.stream().filter(x -> x.<Boolean>getAs("warmup")).count());
      for (Row row : rows) {
        boolean proxy = row.getAs("proxy");
        assertEquals(
            proxy ? 1 : 6, (int) row.<Integer>getAs("output_tokens"), "ignore_eos by default");
        assertEquals(proxy ? 1 : 6, (int) row.<Integer>getAs("max_tokens"));
        assertEquals("driver", row.getAs("executor_id"));
        assertEquals("cpu", row.getAs("device"));
        double ttft = row.getAs("ttft_ms");
        double e2e = row.getAs("e2e_ms");
        assertTrue(ttft > 0 && e2e >= ttft);
        assertEquals(
            row.<scala.collection.Seq<Long>>getAs("token_ns").size(),
            (int) row.<Integer>getAs("output_tokens"));
      }
      long batchRows =
          TestSpark.batches(spark, store, "rows-run")
              .where("point_id = '" + p.pointId() + "'")
              .count();
      assertEquals(5, batchRows, "one batch row per generate call");
    }
    JsonNode m = store.run("rows-run").manifest();
    assertEquals("completed", m.get("status").asText());
    assertEquals(plan.job().sha256(), m.get("job_sha256").asText());
    assertEquals("2.7.1", m.get("pytorch_version").asText());
    assertEquals(1, spark.read().parquet(store.at("rows-run").dir() + "/runs/run.parquet").count());
    assertFalse(
        Files.exists(dir.resolve("results/rows-run/_attempts")),
        "attempts are cleaned after a run");
  }

  @Test
  void interruptedRunResumesWithoutRedoingOrLosingPoints() throws Exception {
    Path job =
        TestSpark.jobFile(
            dir,
            "resume",
            """
        experiments = [
          { name = resume, axes { prompt_tokens = 8, batch_size = [1, 2], max_tokens = 32, seed = [1, 2, 3, 4, 5, 6] }
            repetitions = 2, warmups = 1, warmup_max = 1 }
        ]
        """);
    Plan plan = TestSpark.plan(job);
    assertEquals(12, plan.points().size());
    RunStore store =
        RunStore.open(
            dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
    String run = "resume-run";
    // interrupt: cancel the Spark job as soon as two points are committed
    AtomicBoolean cancelled = new AtomicBoolean();
    Thread watcher =
        new Thread(
            () -> {
              while (!cancelled.get()) {
                if (store.at(run).committedPoints().size() >= 2) {
                  spark.sparkContext().cancelAllJobs();
                  cancelled.set(true);
                }
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    watcher.setDaemon(true);
    watcher.start();
    assertThrows(Exception.class, () -> TestSpark.sweep(spark, store, run, null).run(plan));
    watcher.join(10_000);
    assertTrue(cancelled.get());
    // a cancelled task finishes its point in the background (the engine ignores interrupts): let it
    long deadline = System.currentTimeMillis() + 60_000;
    while (java.util.Arrays.stream(spark.sparkContext().statusTracker().getExecutorInfos())
            .anyMatch(e -> e.numRunningTasks() > 0)
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    Set<String> before = store.run(run).committedPoints();
    assertTrue(
        before.size() >= 2 && before.size() < 12,
        "interrupted mid-sweep: " + before.size() + " committed");
    assertEquals("failed", store.run(run).manifest().get("status").asText());
    Map<String, Object> fileKeys = new HashMap<>();
    for (String id : before) {
      Path f = dir.resolve("results").resolve(run).resolve("raw/p-" + id + "/requests.parquet");
      fileKeys.put(
          id,
          Files.readAttributes(f, BasicFileAttributes.class).fileKey()
              + "@"
              + Files.getLastModifiedTime(f));
    }
    // a crashed attempt's leftovers are never read
    Path stale =
        Files.createDirectories(
            dir.resolve("results").resolve(run).resolve("_attempts/p-stale-attempt"));
    Files.writeString(stale.resolve("requests.parquet"), "partial garbage");

    SweepJob.Result resumed = TestSpark.sweep(spark, store, run, null).run(plan);
    assertEquals(before.size(), resumed.skipped());
    assertEquals(12 - before.size(), resumed.reports().size(), "only the missing points ran");
    assertEquals(12, resumed.manifest().points().committed());
    assertEquals("completed", store.run(run).manifest().get("status").asText());
    for (String id : before) {
      Path f = dir.resolve("results").resolve(run).resolve("raw/p-" + id + "/requests.parquet");
      assertEquals(
          fileKeys.get(id),
          Files.readAttributes(f, BasicFileAttributes.class).fileKey()
              + "@"
              + Files.getLastModifiedTime(f),
          "committed points are left untouched");
    }
    var requests = TestSpark.requests(spark, store, run);
    Map<String, Long> perPoint =
        requests.groupBy("point_id").count().collectAsList().stream()
            .collect(Collectors.toMap(x -> x.getString(0), x -> x.getLong(1)));
    assertEquals(
        plan.points().stream().map(Point::pointId).collect(Collectors.toSet()), perPoint.keySet());
    for (Point p : plan.points()) {
      assertEquals(
          3L * p.shape().batchSize(), perPoint.get(p.pointId()), "each point exactly once");
    }
  }
}
