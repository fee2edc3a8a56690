package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.Fixtures;
import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.store.FailureReason;
import dev.llmsweep.store.PointFailure;
import dev.llmsweep.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Points that fail do not stop the sweep. The failure is injected through the fake-engine hook
 * ({@code spark.llmsweep.generatorFactory} = {@link FailingGenerators}): batch size 8 throws
 * PyTorch's CUDA out-of-memory error, and one point runs past its {@code point_timeout_s}. The
 * other points commit, both failures are recorded with their reasons, the out-of-memory model is
 * closed and reloaded, the manifest counts them, the {@code failures} view lists them while {@code
 * points} and {@code batch_sweep} hold only committed points; resuming the run retries the failed
 * points and leaves the committed ones byte for byte as they were.
 */
@SparkOnly
class FailedPointTest extends TestSpark {

  @TempDir Path dir;

  @AfterEach
  void noMoreFailures() {
    FailingGenerators.FAIL_BATCH.set(0);
  }

  @Test
  void failedPointsAreRecordedTheRestCommitsAndResumeRetriesThem() throws Exception {
    // a model directory of its own, so this test's model is a cache key no other test loaded
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) {
      Files.copy(Fixtures.dir("tiny-llama").resolve(f), model.resolve(f));
    }
    Path job =
        TestSpark.jobFile(
            dir,
            "failing",
            """
        defaults { model = "%s", warmups = 0 }
        experiments = [
          { name = batch, axes { batch_size = [1, 8, 2], max_tokens = 4, prompt_tokens = 3 }, repetitions = 2 }
          { name = slow, axes { batch_size = 3, max_tokens = 200, prompt_tokens = 3 }, repetitions = 20,
            point_timeout_s = 1 }
        ]
        """
                .formatted(model));
    Plan plan = TestSpark.plan(job);
    Map<String, String> ids = new TreeMap<>();
    for (Point p : plan.points()) {
      ids.put(p.identity().experiment() + p.shape().batchSize(), p.pointId());
    }
    RunStore store =
        RunStore.open(
            dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
    String factory = FailingGenerators.class.getName();
    FailingGenerators.FAIL_BATCH.set(8);
    int loads = FailingGenerators.LOADS.get();
    int closes = FailingGenerators.CLOSES.get();

    SweepJob.Result r = TestSpark.sweep(spark, store, "failing-run", factory).run(plan);

    assertEquals("completed_with_failures", r.manifest().status().label());
    assertEquals(2, r.manifest().points().failed());
    assertEquals(2, r.manifest().points().committed());
    assertEquals(
        Set.of(ids.get("batch1"), ids.get("batch2")),
        store.run("failing-run").committedPoints(),
        "the points after the failed one ran and committed");
    Map<String, PointFailure> failed =
        r.failures().stream().collect(Collectors.toMap(PointFailure::pointId, f -> f));
    PointFailure oom = failed.get(ids.get("batch8"));
    assertEquals(FailureReason.OUT_OF_MEMORY, oom.cause().reason());
    assertEquals("generate", oom.cause().phase().label());
    assertTrue(oom.cause().message().contains("CUDA out of memory"), oom.cause().message());
    assertTrue(oom.cause().modelDiscarded());
    // the model was closed after the out-of-memory error and loaded again for the next point
    assertEquals(1, FailingGenerators.CLOSES.get() - closes);
    assertEquals(2, FailingGenerators.LOADS.get() - loads);
    PointFailure slow = failed.get(ids.get("slow3"));
    assertEquals(FailureReason.TIMEOUT, slow.cause().reason());
    assertTrue(slow.cause().message().contains("point_timeout_s of 1 s"), slow.cause().message());
    assertFalse(slow.cause().modelDiscarded(), "a timeout leaves the model loaded");
    assertTrue(
        slow.cause().elapsedMs() >= 1000 && slow.cause().elapsedMs() < 4000,
        "stopped near its limit: " + slow.cause().elapsedMs());
    assertTrue(
        Files.isRegularFile(
            dir.resolve("results/failing-run/failed/p-" + ids.get("batch8") + ".json")));
    JsonNode manifest = store.run("failing-run").manifest();
    assertEquals(2, manifest.path("points_failed").asInt());
    assertEquals("completed_with_failures", manifest.path("status").asText());

    SparkSession views = spark.newSession();
    Aggregator.aggregate(views, store.run("failing-run"));
    Views.load(views, store.root().toString(), "failing-run", Set.of());
    Map<String, String> reasons =
        views.sql("SELECT point_id, reason FROM failures").collectAsList().stream()
            .collect(Collectors.toMap(x -> x.getString(0), x -> x.getString(1)));
    assertEquals(Map.of(ids.get("batch8"), "out_of_memory", ids.get("slow3"), "timeout"), reasons);
    assertEquals(2, views.sql("SELECT * FROM points").count());
    List<Row> sweep =
        views.sql("SELECT batch_size FROM batch_sweep ORDER BY batch_size").collectAsList();
    assertEquals(List.of(1, 2), sweep.stream().map(x -> x.getInt(0)).toList());

    // resume: the out-of-memory point is retried and commits; the slow one times out again
    Map<Path, String> before = digests(dir.resolve("results/failing-run/raw"));
    FailingGenerators.FAIL_BATCH.set(0);
    SweepJob.Result again = TestSpark.sweep(spark, store, "failing-run", factory).run(plan);
    assertEquals(2, again.skipped());
    assertEquals(3, again.manifest().points().committed());
    assertEquals(1, again.manifest().points().failed());
    assertEquals(
        List.of(ids.get("slow3")), again.failures().stream().map(PointFailure::pointId).toList());
    assertFalse(
        Files.exists(dir.resolve("results/failing-run/failed/p-" + ids.get("batch8") + ".json")),
        "a committed point is no longer listed as failed");
    Map<Path, String> after = digests(dir.resolve("results/failing-run/raw"));
    for (Map.Entry<Path, String> e : before.entrySet()) {
      assertEquals(
          e.getValue(),
          after.get(e.getKey()),
          "committed file changed by the resumed run: " + e.getKey());
    }
    // two points were committed before: the retried one adds as many files as each of them has
    // (requests, batches and, where the executor probed the machine, probes)
    assertEquals(
        before.size() + before.size() / 2, after.size(), "the retried point added its files");
  }

  /** Content hash and modification time of every file under a directory. */
  private static Map<Path, String> digests(Path root) throws Exception {
    Map<Path, String> out = new TreeMap<>();
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        out.put(
            root.relativize(f),
            HexFormat.of().formatHex(sha) + "@" + Files.getLastModifiedTime(f).toMillis());
      }
    }
    return out;
  }
}
