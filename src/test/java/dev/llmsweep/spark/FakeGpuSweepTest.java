package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.job.Plan;
import dev.llmsweep.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU scheduling without GPUs: one worker whose discovery script reports fake GPUs "3" and "5", two
 * executors with one GPU each, one GPU per task. Every task must run its point on the address Spark
 * assigned it ({@code gpu:3} or {@code gpu:5}, never the {@code gpu:0} fallback), each executor on
 * its own one. Uses the fake engine ({@link FakeGenerators}): this is about Spark plumbing, and
 * there is no GPU to load the model onto.
 */
@SparkOnly
class FakeGpuSweepTest {
  @TempDir Path dir;

  @Test
  void eachTaskUsesTheGpuAddressSparkAssignedIt() throws Exception {
    Path script = dir.resolve("fake-gpus.sh");
    Files.writeString(
        script, "#!/usr/bin/env bash\necho '{\"name\":\"gpu\",\"addresses\":[\"3\",\"5\"]}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> conf =
        new java.util.LinkedHashMap<>(TestSpark.localCluster("local-cluster[1,2,2048]"));
    conf.put("spark.worker.resource.gpu.amount", "2");
    conf.put("spark.worker.resource.gpu.discoveryScript", script.toString());
    conf.put("spark.executor.resource.gpu.amount", "1");
    conf.put("spark.task.resource.gpu.amount", "1");
    conf.put("spark.executor.cores", "1");
    conf.put("spark.executor.memory", "1024m");
    conf.put(GeneratorFactory.PROPERTY, FakeGenerators.class.getName());
    TestSpark.stopAnyContext();
    SparkSession spark = SparkSettings.session(conf);
    try {
      TestSpark.awaitExecutors(spark, 2, 120_000);
      Path job =
          TestSpark.jobFile(
              dir,
              "gpus",
              """
          experiments = [
            { name = gpus, device = gpu, axes { prompt_tokens = 4, batch_size = [1, 2], max_tokens = 20,
              seed = [1, 2, 3, 4, 5] }, repetitions = 2, warmups = 0 }
          ]
          """);
      Plan plan = TestSpark.plan(job);
      RunStore store =
          RunStore.open(
              dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
      SweepJob.Result r =
          TestSpark.sweep(spark, store, "gpu-run", conf.get(GeneratorFactory.PROPERTY)).run(plan);
      for (PointReport p : r.reports()) {
        assertEquals(
            "gpu:" + p.placement().gpuAddress(),
            p.placement().device(),
            "the point ran on the task's assigned GPU");
      }
      List<Row> rows =
          TestSpark.requests(spark, store, "gpu-run")
              .select("executor_id", "device")
              .distinct()
              .collectAsList();
      Map<String, Set<String>> devicesByExecutor =
          rows.stream()
              .collect(
                  Collectors.groupingBy(
                      x -> x.getString(0),
                      Collectors.mapping(x -> x.getString(1), Collectors.toSet())));
      assertEquals(2, devicesByExecutor.size(), "both executors ran points: " + devicesByExecutor);
      for (Set<String> devices : devicesByExecutor.values()) {
        assertEquals(
            1, devices.size(), "an executor's tasks all get its one GPU: " + devicesByExecutor);
        assertTrue(
            Set.of("gpu:3", "gpu:5").containsAll(devices), "only discovered addresses: " + devices);
      }
      List<Set<String>> perExecutor = List.copyOf(devicesByExecutor.values());
      assertNotEquals(perExecutor.get(0), perExecutor.get(1), "executors hold different GPUs");
      JsonNode executors = store.run("gpu-run").manifest().get("executors");
      for (JsonNode e : executors) {
        assertEquals(
            "gpu:" + e.get("gpu_addresses").get(0).asText(), e.get("devices").get(0).asText());
      }
      assertEquals(plan.points().size(), store.run("gpu-run").committedPoints().size());
    } finally {
      spark.stop();
    }
  }
}
