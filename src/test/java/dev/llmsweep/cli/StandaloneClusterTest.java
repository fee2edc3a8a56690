package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.Exclusive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on this machine ({@link StandaloneCluster}), its master, two
 * workers and the driver all bound to 127.0.0.1; jobs go through {@code ./submit --master
 * spark://127.0.0.1:PORT} with the cluster profiles and Spark's own SparkSubmit, which ships the
 * application jar (built by {@code run-tests} before the tests). Everything it starts is stopped.
 */
@Exclusive // a wait bounded in seconds, and a cluster of processes: alone on the machine
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  static final ObjectMapper JSON = StandaloneCluster.JSON;
  static StandaloneCluster cluster;

  @TempDir static Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    ClusterHost loopback = ClusterHost.local("127.0.0.1");
    cluster =
        StandaloneCluster.start(
            "standalone", dir, "127.0.0.1", loopback, List.of(loopback, loopback), 120);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * A sweep through submit: an executor SIGKILLed mid-run is replaced, the driver SIGTERMed later;
   * the stopped attempt records what it committed (its manifest's counts are the store's, per
   * executor too), a resume commits the rest (each attempt's counts adding up), a resume with
   * nothing left keeps the executors, devices and PyTorch of the earlier attempts, and every point
   * has exactly its own rows. (One run for all of it: each submit of a run that ends costs its
   * points table and report on the cluster, the most of this class's time.)
   */
  @Test
  @Order(1)
  void aSweepSurvivesAKilledExecutorAndAStoppedDriverAndKeepsEveryAttempt() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("cluster.conf"),
            """
        name = cluster
        defaults { model = tiny, device = cpu, ignore_eos = true, warmups = 1, warmup_max = 1, model_warmup_s = 0 }
        experiments = [
          { name = kill, axes { prompt_tokens = 8, batch_size = [1, 4], max_tokens = 48, seed = [1, 2, 3, 4, 5, 6] }
            repetitions = 2 }
        ]
        """);
    String root = dir.resolve("results").toString();
    Path run = dir.resolve("results/r1");
    StandaloneCluster.Run firstRun =
        cluster.submit(job.toString(), "--results", root, "--run-id", "r1");
    Process first = firstRun.process();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (committed(run) < 2) {
      assertTrue(
          first.isAlive() && System.nanoTime() < deadline,
          () -> "two points committed: " + firstRun.output());
      Thread.sleep(20);
    }
    ProcessHandle killed = cluster.executors().findFirst().orElseThrow();
    killed.destroyForcibly();
    while (committed(run) < 5) {
      assertTrue(
          first.isAlive() && System.nanoTime() < deadline,
          () -> "five points committed: " + firstRun.output());
      Thread.sleep(20);
    }
    first.destroy(); // SIGTERM to the driver
    assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the driver stops on SIGTERM");
    assertEquals(1, first.exitValue(), firstRun.output());
    int byFirst = committed(run);
    JsonNode stopped = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals("stopped", stopped.path("status").asText(), stopped.toPrettyString());
    // the points in the store when the stopped attempt ended (its tasks cancelled first)
    int recorded = stopped.path("points_committed").asInt();
    assertTrue(recorded >= 5, "the stopped attempt counts what it committed: " + recorded);
    assertEquals(byFirst, recorded, "the stopped run's manifest counts are the store's");
    assertTrue(
        firstRun
            .output()
            .contains("[llm-sweep] stopped: " + recorded + " of 12 points committed; resume with"),
        firstRun.output());
    assertEquals(recorded, stopped.path("points_run").asInt(), "and says it ran them");
    JsonNode a1 = stopped.path("attempts").path(0);
    assertEquals(recorded, a1.path("points_committed").asInt(), stopped.toPrettyString());
    assertEquals(recorded, StopTest.executorPoints(a1), "per-executor counts add up: " + a1);
    assertFalse(a1.path("executors_added").isEmpty(), a1.toPrettyString());
    Set<String> firstJvms = jvms(a1.path("executors"));
    // every executor by id and host; its JVM where its report came back (a point the SIGKILLed
    // executor committed before its task's result reached the driver is counted from the store,
    // with the executor Spark names for the task and no JVM)
    a1.path("executors")
        .forEach(
            e ->
                assertFalse(
                    e.path("executor_id").asText("").isEmpty()
                        || e.path("host").asText("").isEmpty(),
                    "the stopped attempt names its executors: " + a1));
    assertTrue(
        firstJvms.stream().filter(j -> j == null).count() <= 1
            && firstJvms.stream().anyMatch(j -> j != null),
        "only the killed executor may lack its JVM: " + a1);
    firstJvms.remove(null);
    assertEquals(List.of("cpu"), List.of(JSON.treeToValue(a1.path("devices"), String[].class)));

    StandaloneCluster.Run resume =
        cluster.submit(job.toString(), "--results", root, "--run-id", "r1");
    assertTrue(resume.process().waitFor(600, TimeUnit.SECONDS), resume.output());
    assertEquals(0, resume.process().exitValue(), resume.output());
    assertTrue(
        resume
            .output()
            .contains(
                "[llm-sweep] run r1 completed: 12 points committed ("
                    + (12 - byFirst)
                    + " ran now, "
                    + byFirst
                    + " resumed), 0 failed"),
        resume.output());
    assertExactlyOnce(run, 12, 3);
    JsonNode resumed = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals(12, resumed.path("points_committed").asInt(), resumed.toPrettyString());
    // executors may commit after a stopped driver's record: the resume credits them to the first
    // attempt
    assertTrue(
        resumed.path("attempts").path(0).path("points_committed").asInt() >= recorded,
        resumed.toPrettyString());
    int total = 0;
    for (JsonNode a : resumed.path("attempts")) {
      assertEquals(
          a.path("points_committed").asInt(), StopTest.executorPoints(a), "counts add up: " + a);
      total += a.path("points_committed").asInt();
    }
    assertEquals(12, total, resumed.path("attempts").toPrettyString());

    StandaloneCluster.Run nothingLeft =
        cluster.submit(job.toString(), "--results", root, "--run-id", "r1");
    assertTrue(nothingLeft.process().waitFor(600, TimeUnit.SECONDS), nothingLeft.output());
    assertEquals(0, nothingLeft.process().exitValue(), nothingLeft.output());
    JsonNode m = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals("completed", m.path("status").asText());
    assertEquals(0, m.path("points_run").asInt());
    JsonNode attempts = m.path("attempts");
    assertEquals(3, attempts.size(), m.toPrettyString());
    assertEquals(
        List.of("stopped", "completed", "completed"),
        List.of(
            attempts.get(0).path("status").asText(),
            attempts.get(1).path("status").asText(),
            attempts.get(2).path("status").asText()));
    assertEquals(
        12,
        attempts.get(0).path("points_committed").asInt()
            + attempts.get(1).path("points_committed").asInt(),
        "the attempts' counts are the store's");
    assertEquals(0, attempts.get(2).path("points_committed").asInt());
    assertEquals(0, attempts.get(2).path("executors").size(), "the last attempt ran nothing");
    Set<String> all = jvms(m.path("executors"));
    Set<String> secondJvms = jvms(attempts.get(1).path("executors"));
    secondJvms.remove(null);
    assertTrue(
        all.containsAll(firstJvms) && all.containsAll(secondJvms) && all.size() > firstJvms.size(),
        "the manifest's executors are every attempt's: " + m.path("executors"));
    assertEquals(List.of("cpu"), List.of(JSON.treeToValue(m.path("devices"), String[].class)));
    assertTrue(
        m.path("pytorch_version").asText("").matches("\\d+\\.\\d+\\.\\d+.*"),
        m.path("pytorch_version").toString());
    assertEquals(cluster.masterUrl, m.path("spark_master").asText());
    for (JsonNode e : m.path("executors")) {
      assertFalse(
          e.path("executor_id").asText().equals("driver"), "executors, not the driver, ran points");
    }
  }

  /**
   * A GPU profile on workers without GPUs: the application is submitted, no executor can start, and
   * the run fails within the configured wait, naming the resource no worker has.
   */
  @Test
  @Order(2)
  void aGpuProfileOnCpuWorkersFailsNamingTheMissingResource() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("gpu.conf"),
            """
        experiments = [ { name = g, model = tiny, device = gpu, axes { batch_size = 1, max_tokens = 2, prompt_tokens = 2 } } ]
        """);
    long start = System.nanoTime();
    StandaloneCluster.Run gpu =
        cluster.submit(
            job.toString(),
            "--results",
            dir.resolve("gpu-results").toString(),
            "--conf-profile",
            "standalone-gpu",
            "--conf",
            "spark.llmsweep.executorWaitSeconds=5",
            "--conf",
            "spark.llmsweep.masterWebUi=" + cluster.masterUi);
    assertTrue(
        gpu.process().waitFor(120, TimeUnit.SECONDS), "it does not wait forever: " + gpu.output());
    double seconds = (System.nanoTime() - start) / 1e9;
    String err = gpu.output();
    assertEquals(2, gpu.process().exitValue(), err);
    String line =
        err.lines()
            .filter(l -> l.startsWith("error: no executor started within 5 s"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(err));
    assertTrue(
        line.contains("each executor asks for 1 gpu (spark.executor.resource.gpu.amount)"), line);
    assertTrue(line.contains("missing: gpu (no worker has 1 free;"), line);
    assertTrue(line.contains("alive workers: 127.0.0.1:"), line);
    assertTrue(seconds < 90, "failed after " + seconds + " s");
  }

  private static int committed(Path run) throws IOException {
    return StopTest.committed(run).size();
  }

  private static Set<String> jvms(JsonNode executors) {
    Set<String> out = new HashSet<>();
    executors.forEach(e -> out.add(e.path("jvm").asText(null)));
    return out;
  }

  /**
   * Each of the planned points is committed once, with calls x batch request rows and calls batch
   * rows.
   */
  private static void assertExactlyOnce(Path run, int points, int calls) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(run.resolve("raw"))) {
      dirs = s.filter(p -> p.getFileName().toString().startsWith("p-")).toList();
    }
    assertEquals(points, dirs.size(), "every point committed, none twice");
    for (Path d : dirs) {
      long batches = rows(d.resolve("batches.parquet"));
      long requests = rows(d.resolve("requests.parquet"));
      assertEquals(calls, batches, d + ": one row per generate call");
      assertTrue(
          requests == calls || requests == 4L * calls,
          d + ": calls x batch size request rows: " + requests);
    }
  }

  private static long rows(Path parquet) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(parquet.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
      return r.getRecordCount();
    }
  }
}
