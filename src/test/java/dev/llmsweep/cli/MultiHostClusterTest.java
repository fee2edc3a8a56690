package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.Exclusive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone cluster ({@link StandaloneCluster}) whose master, workers and driver each have an
 * address of their own: where this machine allows network namespaces (root or CAP_NET_ADMIN; CI
 * runs as root) each daemon runs in its own ({@link NetworkNamespaces}: the master on 10.231.N.2,
 * the workers on .3 and .4, the driver in this JVM's namespace on .1), else the master and the
 * driver on 127.0.0.1 and the workers on 127.0.0.2 and 127.0.0.3 (distinct loopback addresses; each
 * daemon binds only its own), as the test's output says. One cluster is used by every check in
 * turn: {@code plan} against the master (a fit and a gap, and a master that does not answer), a
 * driver address the executors cannot reach, and, last, every worker lost mid-run, which fails
 * within the executor wait naming the executors lost and their hosts. (A SIGTERMed run's manifest
 * against its store, before and after its resume: {@link StandaloneClusterTest}, whose stopped run
 * it shares; each run that ends costs its points table and report on the cluster.)
 */
@Exclusive // a cluster of processes and waits bounded in seconds: alone on the machine
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostClusterTest {
  static final ObjectMapper JSON = StandaloneCluster.JSON;

  /** Null where this machine refuses network namespaces. */
  static NetworkNamespaces network;

  static StandaloneCluster cluster;
  static ClusterHost master;
  static List<String> workers;
  static String driver;

  /** An address the executors cannot reach, on a network that never leaves this machine. */
  static String unreachable;

  /**
   * The executor wait of the run whose workers are lost: idle seconds between the loss and the
   * failure, so short; yet long enough for both executors to register at the run's start (the same
   * key bounds that wait): 13 s from the application's registration to the executors' first log
   * line at load 20 (2026-12-07), when helpers' suites ran beside this one; this class runs alone
   * (exclusive).
   */
  static final int LOST_WAIT_S = 15;

  @TempDir static Path dir;

  static final String JOB =
      """
      name = multihost
      defaults { model = tiny, device = cpu, ignore_eos = true, warmups = 1, warmup_max = 1, model_warmup_s = 0 }
      experiments = [
        { name = m, axes { prompt_tokens = 8, batch_size = [1, 4], max_tokens = 48, seed = [1, 2, 3, 4, 5, 6] }
          repetitions = 2 }
      ]
      """;

  @BeforeAll
  static void startCluster() throws Exception {
    List<ClusterHost> hosts;
    try {
      network = NetworkNamespaces.create(List.of("master", "worker1", "worker2"));
      master = network.host("master");
      hosts = List.of(network.host("worker1"), network.host("worker2"));
      driver = network.driverAddress();
      unreachable = network.vacantAddress();
      System.out.println("[MultiHostClusterTest] " + network);
    } catch (NetworkNamespaces.Refused e) {
      master = ClusterHost.local("127.0.0.1");
      hosts = List.of(ClusterHost.local("127.0.0.2"), ClusterHost.local("127.0.0.3"));
      driver = "127.0.0.1";
      unreachable = "127.0.0.9"; // nothing listens there
      System.out.println(
          "[MultiHostClusterTest] network namespaces refused ("
              + e.getMessage()
              + "): the master and the driver on 127.0.0.1, the workers on 127.0.0.2 and"
              + " 127.0.0.3");
    }
    workers = hosts.stream().map(ClusterHost::address).sorted().toList();
    cluster = StandaloneCluster.start("multihost", dir, driver, master, hosts, 240);
    assertEquals(workers, cluster.aliveWorkers(), "each worker on its own address");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }

  @Test
  @Order(1)
  void planReadsTheMasterAndSaysWhetherTheExecutorsFit() throws Exception {
    Path job = Files.writeString(dir.resolve("plan.conf"), JOB);
    StandaloneCluster.Run fit =
        cluster.submit(
            "plan", job.toString(), "--conf", "spark.llmsweep.masterWebUi=" + masterUi());
    assertTrue(fit.process().waitFor(180, TimeUnit.SECONDS), fit.output());
    assertEquals(0, fit.process().exitValue(), fit.output());
    assertTrue(
        fit.output()
            .contains(
                "cluster "
                    + masterUrl()
                    + ": 2 of 2 alive workers fit an executor (each asks"
                    + " for 2 cores, 2g of memory): 2 executors, 2 points at a time"),
        fit.output());

    StandaloneCluster.Run gap =
        cluster.submit(
            "plan",
            job.toString(),
            "--conf",
            "spark.llmsweep.masterWebUi=" + masterUi(),
            "--conf",
            "spark.executor.memory=8g");
    assertTrue(gap.process().waitFor(180, TimeUnit.SECONDS), gap.output());
    assertEquals(2, gap.process().exitValue(), gap.output());
    assertTrue(
        gap.output()
            .contains(
                "error: --master "
                    + masterUrl()
                    + ": no alive worker fits an executor of this"
                    + " job (each asks for 2 cores, 8g of memory): "),
        gap.output());
    for (String host : workers) {
      assertTrue(
          gap.output().matches("(?s).*" + host + ":\\d+ \\(2048 MB < 8192 MB\\).*"), gap.output());
    }

    // a port of the master's host where nothing listens
    String silent = "http://" + master.address() + ":" + master.port(18080);
    StandaloneCluster.Run down =
        cluster.submit("plan", job.toString(), "--conf", "spark.llmsweep.masterWebUi=" + silent);
    assertTrue(down.process().waitFor(180, TimeUnit.SECONDS), down.output());
    assertEquals(2, down.process().exitValue(), down.output());
    assertTrue(
        down.output()
            .contains("error: --master " + masterUrl() + ": the master's state at " + silent),
        down.output());
  }

  @Test
  @Order(2)
  void executorsThatCannotReachTheDriverFailTheRunNamingItsAddress() throws Exception {
    Path job = Files.writeString(dir.resolve("reach.conf"), JOB);
    long start = System.nanoTime();
    // the driver listens on its address and tells the executors one they cannot reach
    StandaloneCluster.Run run =
        cluster.submit(
            job.toString(),
            "--results",
            dir.resolve("reach").toString(),
            "--conf",
            "spark.llmsweep.masterWebUi=" + masterUi(),
            "--conf",
            "spark.driver.bindAddress=" + driver,
            "--conf",
            "spark.driver.host=" + unreachable);
    assertTrue(run.process().waitFor(300, TimeUnit.SECONDS), run.output());
    double seconds = (System.nanoTime() - start) / 1e9;
    String out = run.output();
    assertEquals(2, run.process().exitValue(), out);
    String line =
        out.lines()
            .filter(l -> l.startsWith("error: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    assertTrue(
        line.matches(
            "error: \\d+ executors of app-\\S+ exited before registering with the driver .*"),
        line);
    assertTrue(line.contains("they were given the driver's address " + unreachable + ":"), line);
    assertTrue(
        workers.stream()
            .anyMatch(h -> line.contains(" on " + h + ",") || line.contains(" on " + h + ")")),
        "names the executors' hosts: " + line);
    assertTrue(line.contains("SPARK_LOCAL_IP") && line.contains("spark.driver.host"), line);
    assertFalse(line.contains("missing: cores"), "not a cluster short of cores: " + line);
    assertTrue(seconds < 120, "said within the executor wait, after " + seconds + " s");
  }

  @Test
  @Order(3)
  void everyWorkerLostMidRunFailsWithinTheWaitNamingTheExecutors() throws Exception {
    Path job = Files.writeString(dir.resolve("lost.conf"), JOB);
    Path run = dir.resolve("lost/r2");
    StandaloneCluster.Run r =
        cluster.submit(
            job.toString(),
            "--results",
            dir.resolve("lost").toString(),
            "--run-id",
            "r2",
            "--conf",
            "spark.llmsweep.executorWaitSeconds=" + LOST_WAIT_S);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
    while (StopTest.committed(run).isEmpty()) {
      assertTrue(
          r.process().isAlive() && System.nanoTime() < deadline,
          () -> "a point committed: " + r.output());
      Thread.sleep(20);
    }
    long lostAt = System.nanoTime();
    // SIGTERM, and SIGKILL with their executors where still up 2 s later: this test is about a
    // run whose workers are gone. Not 10 s: a worker that outlived its SIGTERM got new executors
    // from the master within those seconds, and the 12 tiny points finished on them (suite run,
    // 2026-12-07 05:23); one that stops cleanly is gone within a second
    List<String> killed = cluster.stopWorkers(2);
    if (!killed.isEmpty()) {
      System.out.println(
          "[MultiHostClusterTest] still up 2 s after their SIGTERM (or an orphaned executor), killed: "
              + killed);
    }
    assertTrue(
        r.process().waitFor(180, TimeUnit.SECONDS), "the run does not wait forever: " + r.output());
    double seconds = (System.nanoTime() - lostAt) / 1e9;
    String out = r.output();
    assertEquals(1, r.process().exitValue(), out);
    assertTrue(out.contains("[llm-sweep] waiting for executors (0 alive, "), out);
    String line =
        out.lines()
            .filter(l -> l.startsWith("[llm-sweep] failed: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(out));
    assertTrue(
        line.startsWith(
            "[llm-sweep] failed: no executor alive for "
                + LOST_WAIT_S
                + " s (spark.llmsweep.executorWaitSeconds);"
                + " executors lost: "),
        line);
    for (String host : workers) {
      // Spark's own words for the loss: the exit code, "Worker shutting down" where the worker
      // was stopping while the master gave it an executor, or "worker lost: ... disassociated"
      // where the worker outlived its SIGTERM and was killed (both, at load 13, 2026-12-07)
      assertTrue(
          line.contains(" on " + host + " (Command exited with code ")
              || line.contains(" on " + host + " (Worker shutting down)")
              || line.contains(" on " + host + " (worker lost: "),
          "names the executor on " + host + " and why it was lost: " + line);
    }
    assertTrue(line.contains("resume with ./submit"), line);
    assertTrue(
        seconds < LOST_WAIT_S + 60,
        "failed " + seconds + " s after the workers went (the wait: " + LOST_WAIT_S + " s)");
    JsonNode m = JSON.readTree(run.resolve("manifest.json").toFile());
    assertEquals("failed", m.path("status").asText());
    assertEquals(StopTest.committed(run).size(), m.path("points_committed").asInt());
    // the two executors, and any replacement the master launched on a worker going down
    assertTrue(m.path("attempts").path(0).path("executors_lost").size() >= 2, m.toPrettyString());
  }

  private static String masterUrl() {
    return cluster.masterUrl;
  }

  private static String masterUi() {
    return cluster.masterUi;
  }
}
