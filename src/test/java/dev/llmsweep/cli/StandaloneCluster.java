package dev.llmsweep.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on this machine for the cluster tests, as a platform engineer
 * runs one: a master and workers as separate processes started from the project's own classpath
 * (Spark's {@code Master} and {@code Worker} main classes, no Spark distribution), each on its
 * {@link ClusterHost} and bound to its address only; jobs go through {@code ./submit --master
 * spark://...} with Spark's own SparkSubmit ({@code LLM_SWEEP_SPARK_SUBMIT=builtin}), which ships
 * the application jar, the driver bound to the address given. {@link #close} stops everything it
 * started, the executors included.
 */
final class StandaloneCluster implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final String masterUrl;
  final String masterUi;
  private final String name;
  private final Path dir;
  private final String driverAddress;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final List<Process> submits = new ArrayList<>();
  private int submitted;

  private StandaloneCluster(
      String name, Path dir, String driverAddress, String masterUrl, String masterUi) {
    this.name = name;
    this.dir = dir;
    this.driverAddress = driverAddress;
    this.masterUrl = masterUrl;
    this.masterUi = masterUi;
  }

  /**
   * A master on {@code master} and a worker (2 cores, 2g) on each of {@code workers}, once all of
   * them are ALIVE in the master's JSON (within {@code waitSeconds}: a loaded machine starts JVMs
   * slowly; the patience is here, not in the product's timeouts). Logs in {@code
   * target/cluster-logs/NAME-*.log}, the workers' directories and the submits' output under {@code
   * dir}.
   */
  static StandaloneCluster start(
      String name,
      Path dir,
      String driverAddress,
      ClusterHost master,
      List<ClusterHost> workers,
      int waitSeconds)
      throws Exception {
    assertTrue(
        appJarPresent(),
        "the application jar is missing: build it with mvn -Papp-jar -DskipTests package"
            + " (run-tests does)");
    int port = master.port(7077);
    int uiPort = master.port(8080);
    String host = master.address();
    StandaloneCluster c =
        new StandaloneCluster(
            name,
            dir,
            driverAddress,
            "spark://" + host + ":" + port,
            "http://" + host + ":" + uiPort);
    try {
      c.daemons.add(
          c.daemon(
              "master",
              master,
              "org.apache.spark.deploy.master.Master",
              "--host",
              host,
              "--port",
              Integer.toString(port),
              "--webui-port",
              Integer.toString(uiPort)));
      for (ClusterHost w : workers) {
        String worker = "worker-" + (c.workers.size() + 1);
        Process p =
            c.daemon(
                worker,
                w,
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                w.address(),
                "--cores",
                "2",
                "--memory",
                "2g",
                "--work-dir",
                Files.createDirectories(dir.resolve(worker)).toString(),
                "--webui-port",
                Integer.toString(w.port(8081)),
                c.masterUrl);
        c.daemons.add(p);
        c.workers.add(p);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
      while (c.aliveWorkers().size() < workers.size()) {
        assertTrue(
            System.nanoTime() < deadline,
            workers.size()
                + " workers registered with the master within "
                + waitSeconds
                + " s (logs: target/cluster-logs/"
                + name
                + "-*.log)");
        Thread.sleep(250);
      }
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  /**
   * Stops every worker as an operator does (SIGTERM: a worker stops its executors and leaves the
   * master); one still up {@code graceSeconds} later is killed (SIGKILL) with what it started. A
   * worker SIGTERMed while the master hands it an executor can outlive the signal ("Shutdown hooks
   * cannot be modified during shutdown"; 2 of 3 quiet runs on 2026-12-07) and the master then
   * launches new executors on it: a test about workers that are gone needs them gone.
   *
   * @return the workers that had to be killed, as {@code worker-N}
   */
  List<String> stopWorkers(int graceSeconds) throws InterruptedException {
    for (Process w : workers) {
      w.destroy();
    }
    List<String> killed = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    for (int i = 0; i < workers.size(); i++) {
      Process w = workers.get(i);
      if (!w.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
        killed.add("worker-" + (i + 1));
      }
    }
    // an executor the worker was launching as it shut down can outlive it, reparented and so no
    // longer its descendant, register with the driver and finish the run on a "lost" host (full
    // suite and a rerun, 2026-12-07, both workers gone within 2 s): a lost host takes its
    // executors with it
    ProcessHandle.allProcesses()
        .filter(
            p -> {
              String c = cmdline(p);
              return c.contains("CoarseGrainedExecutorBackend")
                  && c.contains("@" + driverAddress + ":");
            })
        .forEach(
            p -> {
              p.destroyForcibly();
              killed.add("executor pid " + p.pid());
            });
    return killed;
  }

  /**
   * The addresses of the workers ALIVE in the master's JSON, sorted; none where it does not answer.
   */
  List<String> aliveWorkers() {
    try (InputStream in = URI.create(masterUi + "/json/").toURL().openStream()) {
      List<String> hosts = new ArrayList<>();
      for (JsonNode w : JSON.readTree(in).path("workers")) {
        if ("ALIVE".equals(w.path("state").asText())) {
          hosts.add(w.path("host").asText());
        }
      }
      hosts.sort(null);
      return hosts;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The executor JVMs the workers run. */
  Stream<ProcessHandle> executors() {
    return daemons.stream()
        .flatMap(Process::descendants)
        .filter(p -> cmdline(p).contains("CoarseGrainedExecutorBackend"));
  }

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
   * {@code ./submit ARGS --master spark://...} with the builtin spark-submit, the driver on the
   * cluster's driver address ({@code SPARK_LOCAL_IP}); output in {@code DIR/submit-N.log}.
   */
  Run submit(String... args) throws IOException {
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
    env.put("SPARK_LOCAL_IP", driverAddress);
    Process p = pb.start();
    submits.add(p);
    return new Run(p, log);
  }

  /** Stops the drivers a failed assertion left running, the daemons and their executors. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : submits) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : daemons) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
    }
    for (Process p : daemons) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A Spark daemon from the project's classpath (Spark, Hadoop and the rest; not the application's
   * classes) on {@code host} (its launcher, and {@code SPARK_LOCAL_IP} its address), with a Spark
   * home whose {@code jars/} links to the same jars: what a worker puts on its executors'
   * classpath, as from a Spark distribution.
   */
  private Process daemon(String daemon, ClusterHost host, String mainClass, String... args)
      throws IOException {
    String cp = Files.readString(Path.of("target/classpath-full.txt")).trim();
    Path jars = Path.of("target/standalone-spark-home/jars").toAbsolutePath();
    if (!Files.isDirectory(jars)) {
      Files.createDirectories(jars);
      for (String jar : cp.split(File.pathSeparator)) {
        Path target = Path.of(jar);
        Path link = jars.resolve(target.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, target);
        }
      }
    }
    List<String> cmd = new ArrayList<>(host.launcher());
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-opens")
                    || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-cp", cp, mainClass));
    cmd.addAll(List.of(args));
    Path logs = Files.createDirectories(Path.of("target/cluster-logs"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + "-" + daemon + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_LOCAL_IP", host.address());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_HOME", jars.getParent().toString());
    return pb.start();
  }

  private static String cmdline(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static boolean appJarPresent() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      return s.anyMatch(p -> p.getFileName().toString().matches("llm-sweep-.*-app\\.jar"));
    }
  }
}
