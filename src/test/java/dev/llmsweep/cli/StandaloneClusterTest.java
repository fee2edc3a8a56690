package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.Exclusive;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * A real Spark standalone cluster on this machine, as a platform engineer runs one: a master and
 * two workers as separate processes started from the project's own classpath (Spark's {@code
 * Master} and {@code Worker} main classes, no Spark distribution), every one bound to 127.0.0.1;
 * jobs go through {@code ./submit --master spark://127.0.0.1:PORT} with the cluster profiles and
 * Spark's own SparkSubmit ({@code LLM_SWEEP_SPARK_SUBMIT=builtin}), which ships the application jar
 * (built by {@code run-tests} before the tests). Everything it starts is stopped.
 */
@Exclusive // a wait bounded in seconds, and a cluster of processes: alone on the machine
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<Process> started = new ArrayList<>();
  static final List<Process> submits = new ArrayList<>();
  static String masterUrl;
  static String masterUi;

  @TempDir static Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(
        appJarPresent(),
        "the application jar is missing: build it with mvn -Papp-jar -DskipTests package"
            + " (run-tests does)");
    int port = freePort();
    int uiPort = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    masterUi = "http://127.0.0.1:" + uiPort;
    started.add(
        daemon(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            Integer.toString(uiPort)));
    for (int w = 1; w <= 2; w++) {
      Path work = Files.createDirectories(dir.resolve("worker-" + w));
      started.add(
          daemon(
              "worker-" + w,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "2",
              "--memory",
              "2g",
              "--work-dir",
              work.toString(),
              "--webui-port",
              Integer.toString(freePort()),
              masterUrl));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (aliveWorkers() < 2) {
      assertTrue(
          System.nanoTime() < deadline, "two workers registered with the master within 120 s");
      Thread.sleep(250);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Process p : submits) {
      p.destroyForcibly(); // a driver a failed assertion left running
    }
    stopAll(started);
  }

  /** Stops daemons and the executors they started. */
  static void stopAll(List<Process> started) throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
    }
    for (Process p : started) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A sweep through submit: an executor SIGKILLed mid-run is replaced, the driver SIGTERMed later;
   * the stopped attempt records what it committed, a resume commits the rest, a resume with nothing
   * left keeps the executors, devices and PyTorch of the earlier attempts, and every point has
   * exactly its own rows.
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
    Run firstRun = submit(job.toString(), "--results", root, "--run-id", "r1");
    Process first = firstRun.process();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (committed(run) < 2) {
      assertTrue(
          first.isAlive() && System.nanoTime() < deadline,
          () -> "two points committed: " + firstRun.output());
      Thread.sleep(20);
    }
    ProcessHandle killed = executors().findFirst().orElseThrow();
    killed.destroyForcibly();
    while (committed(run) < 5) {
      assertTrue(
          first.isAlive() && System.nanoTime() < deadline,
          () -> "five points committed: " + firstRun.output());
      Thread.sleep(20);
    }
    first.destroy(); // SIGTERM to the driver
    assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the driver stops on SIGTERM");
    int byFirst = committed(run);
    JsonNode stopped = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals("stopped", stopped.path("status").asText(), stopped.toPrettyString());
    // the points in the store when the stopped attempt ended (its tasks cancelled first)
    int recorded = stopped.path("points_committed").asInt();
    assertTrue(
        recorded >= 5 && recorded <= byFirst,
        "the stopped attempt counts what it committed: " + recorded);
    assertTrue(
        firstRun.output().contains("[llm-sweep] stopped: " + recorded + " of 12 points committed"),
        firstRun.output());
    assertEquals(recorded, stopped.path("points_run").asInt(), "and says it ran them");
    JsonNode a1 = stopped.path("attempts").path(0);
    assertEquals(recorded, a1.path("points_committed").asInt(), stopped.toPrettyString());
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

    Run resume = submit(job.toString(), "--results", root, "--run-id", "r1");
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

    Run nothingLeft = submit(job.toString(), "--results", root, "--run-id", "r1");
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
    assertEquals(masterUrl, m.path("spark_master").asText());
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
    Run gpu =
        submit(
            job.toString(),
            "--results",
            dir.resolve("gpu-results").toString(),
            "--conf-profile",
            "standalone-gpu",
            "--conf",
            "spark.llmsweep.executorWaitSeconds=10",
            "--conf",
            "spark.llmsweep.masterWebUi=" + masterUi);
    assertTrue(
        gpu.process().waitFor(120, TimeUnit.SECONDS), "it does not wait forever: " + gpu.output());
    double seconds = (System.nanoTime() - start) / 1e9;
    String err = gpu.output();
    assertEquals(2, gpu.process().exitValue(), err);
    String line =
        err.lines()
            .filter(l -> l.startsWith("error: no executor started within 10 s"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(err));
    assertTrue(
        line.contains("each executor asks for 1 gpu (spark.executor.resource.gpu.amount)"), line);
    assertTrue(line.contains("missing: gpu (no worker has 1 free;"), line);
    assertTrue(line.contains("alive workers: 127.0.0.1:"), line);
    assertTrue(seconds < 90, "failed after " + seconds + " s");
  }

  private static int submitted;

  /** A started {@code ./submit} and the file its output goes to. */
  record Run(Process process, Path log) {
    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no " + log + ")";
      }
    }
  }

  /**
   * {@code ./submit ARGS --master spark://...} with the builtin spark-submit; output in
   * submit-N.log.
   */
  private static Run submit(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("./submit"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--master", masterUrl));
    Path log = dir.resolve("submit-" + (++submitted) + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("SPARK_HOME");
    env.put("LLM_SWEEP_SPARK_SUBMIT", "builtin");
    env.put("LLM_SWEEP_NO_BUILD", "1");
    env.put("LLM_SWEEP_JAVA_OPTS", "-Xmx1g");
    env.put("SPARK_LOCAL_IP", "127.0.0.1"); // the driver on this host's loopback, as the workers
    Process p = pb.start();
    submits.add(p);
    return new Run(p, log);
  }

  /**
   * A Spark daemon from the project's classpath (Spark, Hadoop and the rest; not the application's
   * classes), with a Spark home whose {@code jars/} links to the same jars: what a worker puts on
   * its executors' classpath, as from a Spark distribution.
   */
  private static Process daemon(String name, String mainClass, String... args) throws IOException {
    return daemonOn(name, "127.0.0.1", mainClass, args);
  }

  /** A daemon whose Spark binds {@code address} ({@code SPARK_LOCAL_IP}). */
  static Process daemonOn(String name, String address, String mainClass, String... args)
      throws IOException {
    String cp = Files.readString(Path.of("target/classpath-full.txt")).trim();
    Path jars = Path.of("target/standalone-spark-home/jars").toAbsolutePath();
    if (!Files.isDirectory(jars)) {
      Files.createDirectories(jars);
      for (String jar : cp.split(java.io.File.pathSeparator)) {
        Path target = Path.of(jar);
        Path link = jars.resolve(target.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, target);
        }
      }
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-opens")
                    || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-cp", cp, mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                Files.createDirectories(Path.of("target/cluster-logs"))
                    .resolve(name + ".log")
                    .toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_LOCAL_IP", address);
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_HOME", jars.getParent().toString());
    return pb.start();
  }

  private static int aliveWorkers() {
    try (InputStream in = URI.create(masterUi + "/json/").toURL().openStream()) {
      int n = 0;
      for (JsonNode w : JSON.readTree(in).path("workers")) {
        n += "ALIVE".equals(w.path("state").asText()) ? 1 : 0;
      }
      return n;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The executor JVMs the workers run. */
  private static Stream<ProcessHandle> executors() {
    return started.stream()
        .flatMap(Process::descendants)
        .filter(p -> cmdline(p).contains("CoarseGrainedExecutorBackend"));
  }

  private static String cmdline(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static int committed(Path run) throws IOException {
    Path raw = run.resolve("raw");
    if (!Files.isDirectory(raw)) {
      return 0;
    }
    try (Stream<Path> points = Files.list(raw)) {
      return (int) points.filter(p -> p.getFileName().toString().startsWith("p-")).count();
    }
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean appJarPresent() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      return s.anyMatch(p -> p.getFileName().toString().matches("llm-sweep-.*-app\\.jar"));
    }
  }
}
