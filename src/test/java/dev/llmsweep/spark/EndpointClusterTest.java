package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.engine.openai.FakeServerMain;
import dev.llmsweep.job.Plan;
import dev.llmsweep.store.RunStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-executor servers on a real local-cluster with fake GPUs "3" and "5": each executor starts its
 * own server process from {@code server.command} with the GPU address Spark assigned it and a free
 * port, its points go to that server, every point is committed exactly once, and the servers stop
 * when the executors end. On the same run: requests that fail mid-stream are data (rows with their
 * reason, the point's error_rate, left out of latencies), and open-loop points reach the load_sweep
 * view.
 */
@SparkOnly
class EndpointClusterTest {
  @TempDir Path dir;

  @Test
  void eachExecutorStartsItsOwnServerOnItsAssignedGpuAndEveryPointCommitsOnce() throws Exception {
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
    String command =
        "'"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -Xmx64m -cp '"
            + conf.get("spark.executor.extraClassPath")
            + "' "
            + FakeServerMain.class.getName()
            + " --port {port} --gpu {gpu} --model {model}";
    assertTrue(conf.get("spark.executor.extraClassPath").contains(File.separator));
    TestSpark.stopAnyContext();
    SparkSession spark = SparkSettings.session(conf);
    RunStore store;
    try {
      TestSpark.awaitExecutors(spark, 2, 120_000);
      Path job =
          TestSpark.jobFile(
              dir,
              "servers",
              """
          defaults { engine = openai, model = fake-7b, device = gpu, warmups = 0, warmup_max = 0, model_warmup_s = 0,
            server { command = "%s", start_timeout_s = 120 } }
          experiments = [
            { name = servers, axes { prompt_tokens = 8, batch_size = [1, 4], max_tokens = 6, seed = [1, 2] },
              repetitions = 2 }
            { name = flaky, max_error_rate = 1, axes { prompt_tokens = 8, batch_size = 4, max_tokens = 3 },
              repetitions = 2 }
            { name = load, load { requests = 10 }, slo { ttft_ms = 1000, tpot_ms = 1000 },
              axes { prompt_tokens = 8, max_tokens = 4, request_rate = [50, 200] }, repetitions = 1 }
          ]
          """
                  .formatted(command.replace("\\", "\\\\").replace("\"", "\\\"")));
      Plan plan = TestSpark.plan(job);
      store =
          RunStore.open(
              dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
      SweepJob.Result r = TestSpark.sweep(spark, store, "srv-run", null).run(plan);
      assertEquals(
          plan.points().size(),
          store.run("srv-run").committedPoints().size(),
          "every point committed: " + r);
      assertEquals(
          plan.points().size(),
          TestSpark.batches(spark, store, "srv-run").select("point_id").distinct().count());
      assertEquals(
          2L,
          TestSpark.batches(spark, store, "srv-run")
              .where("point_id = '" + plan.points().get(0).pointId() + "'")
              .count(),
          "a point's two repetitions exactly once");

      Path servers = dir.resolve("results/srv-run/servers");
      List<Path> logs;
      try (Stream<Path> s = Files.list(servers)) {
        logs = s.sorted().toList();
      }
      assertEquals(2, logs.size(), "one server per executor and GPU: " + logs);
      Map<String, String> gpuByPort = new HashMap<>();
      Pattern started =
          Pattern.compile("fake server gpu=(\\d+) port=(\\d+) model=fake-7b pid=(\\d+)");
      List<Long> pids = new java.util.ArrayList<>();
      for (Path log : logs) {
        Matcher m = started.matcher(Files.readString(log));
        assertTrue(m.find(), log + ": " + Files.readString(log));
        gpuByPort.put(m.group(2), m.group(1));
        pids.add(Long.parseLong(m.group(3)));
        assertTrue(
            log.getFileName().toString().endsWith("-gpu_" + m.group(1) + ".log"), log.toString());
      }
      assertEquals(
          java.util.Set.of("3", "5"),
          java.util.Set.copyOf(gpuByPort.values()),
          "each GPU its own server");
      for (Row row :
          TestSpark.requests(spark, store, "srv-run")
              .select("endpoint", "device")
              .distinct()
              .collectAsList()) {
        String port = row.getString(0).replaceAll(".*:(\\d+)/v1", "$1");
        assertEquals(
            "gpu:" + gpuByPort.get(port),
            row.getString(1),
            "a point went to its own executor's server");
      }
      var requests = TestSpark.requests(spark, store, "srv-run");
      assertEquals(
          List.of("openai"),
          requests.select("engine").distinct().as(Encoders.STRING()).collectAsList());
      assertEquals(
          List.of(6),
          requests
              .where("experiment = 'servers'")
              .select("output_tokens")
              .distinct()
              .as(Encoders.INT())
              .collectAsList(),
          "max_tokens forced through ignore_eos");
      List<Row> failed =
          requests
              .where("experiment = 'flaky' AND error IS NOT NULL")
              .select("finish_reason", "error")
              .distinct()
              .collectAsList();
      assertEquals(1, failed.size(), failed.toString());
      assertEquals("error", failed.get(0).getString(0));
      assertTrue(
          failed
              .get(0)
              .getString(1)
              .contains("server error mid-stream: scripted failure for odd seeds"));

      Aggregator.aggregate(spark, store.run("srv-run"));
      Views.load(spark, store.uri(), "srv-run", Set.of());
      Row flaky =
          spark
              .sql(
                  "SELECT error_rate, failed_requests, requests, ttft_count FROM points"
                      + " WHERE experiment = 'flaky'")
              .first();
      assertEquals(0.5, flaky.getDouble(0), 1e-12, "requests with odd seeds fail: 2 of 4 per call");
      assertEquals(4L, flaky.getLong(1));
      assertEquals(8L, flaky.getLong(2));
      assertEquals(4L, flaky.getLong(3), "failed requests are left out of the latencies");
      List<Row> load =
          spark
              .sql(
                  "SELECT request_rate, achieved_requests_per_s, goodput_requests_per_s, requests,"
                      + " error_rate FROM load_sweep ORDER BY request_rate")
              .collectAsList();
      assertEquals(2, load.size());
      for (Row l : load) {
        assertEquals(10L, l.getLong(3));
        assertEquals(0.0, l.getDouble(4));
        assertTrue(
            l.getDouble(1) > 0 && l.getDouble(1) < l.getDouble(0) * 1.5,
            "achieved near or below offered: " + l);
        assertEquals(
            l.getDouble(1), l.getDouble(2), 1e-9, "every request met the generous SLOs: " + l);
      }
      spark.stop();
      long deadline = System.currentTimeMillis() + 60_000;
      while (pids.stream()
              .anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      for (long pid : pids) {
        assertFalse(
            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "server " + pid + " stopped");
      }
    } finally {
      spark.stop();
    }
  }
}
