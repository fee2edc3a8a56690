package dev.llmsweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.engine.ModelValidator;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.RunEndedException;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.model.LlamaConfig;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a job fits the cluster its Spark settings describe (driver side), checked before the
 * session starts: GPU experiments need GPU executors and CPU-only jobs must not ask for GPUs; a CPU
 * executor's heap holds the model's float32 weights (sized from the model when the profile leaves
 * {@code spark.executor.memory} unset). Then, once the application is submitted, a bounded wait for
 * its first executor: a cluster that cannot start one fails with the resource it lacks instead of
 * waiting forever. Local masters are left alone (the driver runs the points).
 */
public final class ClusterFit {
  /** How long to wait for the first executor, seconds. */
  public static final String WAIT_KEY = "spark.llmsweep.executorWaitSeconds";

  static final int WAIT_DEFAULT_S = 120;

  /**
   * A standalone master's web UI, to name what its workers lack (default http://MASTER-HOST:8080).
   */
  public static final String MASTER_UI_KEY = "spark.llmsweep.masterWebUi";

  static final String GPU_AMOUNT = "spark.executor.resource.gpu.amount";
  static final String MEMORY = "spark.executor.memory";
  private static final long GIB = 1L << 30;

  private ClusterFit() {}

  public static boolean local(Map<String, String> settings) {
    return settings.getOrDefault("spark.master", "local").startsWith("local");
  }

  /**
   * Checks the job's devices against the settings' GPU scheduling, and sizes or checks CPU
   * executors' memory; returns the settings, with {@code spark.executor.memory} added when it was
   * sized here.
   */
  public static Map<String, String> check(Plan plan, Map<String, String> settings) {
    if (local(settings)) {
      return settings;
    }
    double gpus = Double.parseDouble(settings.getOrDefault(GPU_AMOUNT, "0"));
    List<String> gpuExperiments =
        plan.points().stream()
            .filter(p -> p.model().device().startsWith("gpu"))
            .map(p -> p.identity().experiment())
            .distinct()
            .toList();
    List<String> cpuExperiments =
        plan.points().stream()
            .filter(p -> p.model().device().equals("cpu"))
            .map(p -> p.identity().experiment())
            .distinct()
            .toList();
    if (!gpuExperiments.isEmpty() && gpus <= 0) {
      throw new BadInputException(
          "experiments "
              + gpuExperiments
              + " run on device = gpu, and the Spark settings give"
              + " executors no GPU ("
              + GPU_AMOUNT
              + " is not set): use a GPU profile (--conf-profile standalone-gpu,"
              + " yarn-gpu or k8s-gpu), or device = cpu");
    }
    if (gpuExperiments.isEmpty() && gpus > 0) {
      throw new BadInputException(
          "every experiment runs on device = cpu, and the Spark settings ask each executor for"
              + " a GPU ("
              + GPU_AMOUNT
              + "="
              + settings.get(GPU_AMOUNT)
              + "): the GPUs would sit idle, and workers"
              + " without GPUs could never start the executors; use a CPU profile (--conf-profile standalone-cpu,"
              + " yarn-cpu or k8s-cpu), or device = gpu");
    }
    Need need = cpuExperiments.isEmpty() ? null : cpuMemory(plan);
    if (need == null) {
      return settings;
    }
    Map<String, String> out = new LinkedHashMap<>(settings);
    String set = settings.get(MEMORY);
    if (set == null) {
      out.put(MEMORY, need.gib() + "g");
    } else if (org.apache.spark.network.util.JavaUtils.byteStringAsBytes(set) < need.bytes()) {
      throw new BadInputException(
          MEMORY
              + "="
              + set
              + " is too small for "
              + need.model()
              + " on CPU: its float32"
              + " weights and KV cache need about "
              + need.gib()
              + "g of executor heap (the CPU engine keeps weights in"
              + " the Java heap); set "
              + MEMORY
              + " to at least "
              + need.gib()
              + "g, or leave it unset to size it"
              + " from the model");
    }
    return out;
  }

  /**
   * A CPU executor's heap: float32 weights + the largest point's KV cache + 1 GiB, whole GiB, at
   * least 2.
   */
  record Need(String model, long bytes, long gib) {}

  static Need cpuMemory(Plan plan) {
    Map<String, LlamaConfig> configs = new LinkedHashMap<>();
    Need worst = null;
    for (Point p : plan.points()) {
      if (!p.model().device().equals("cpu") || p.serving().isEndpoint()) {
        continue; // an endpoint's model lives in its server, not in the executor's heap
      }
      LlamaConfig c = configs.computeIfAbsent(p.model().name(), ModelValidator::validate);
      Point.Shape shape = p.shape();
      long positions = (long) shape.batchSize() * (shape.promptTokens() + shape.maxTokens() + 8);
      long kv = 2L * c.layers() * c.kvHeads() * c.headDim() * 4L * positions;
      long bytes = 4L * c.parameterCount() + kv + GIB;
      if (worst == null || bytes > worst.bytes()) {
        worst = new Need(p.model().name(), bytes, Math.max(2, (bytes + GIB - 1) / GIB));
      }
    }
    return worst;
  }

  /**
   * Waits (at most {@link #WAIT_KEY} seconds) until an executor has registered; fails naming what
   * the executors ask for and, for a standalone master whose web UI answers, what no worker offers.
   */
  public static void awaitExecutors(SparkSession spark, Map<String, String> settings)
      throws InterruptedException {
    if (local(settings)) {
      return;
    }
    int waitS = Integer.parseInt(settings.getOrDefault(WAIT_KEY, Integer.toString(WAIT_DEFAULT_S)));
    long deadline = System.nanoTime() + waitS * 1_000_000_000L;
    long nextReachCheck = System.nanoTime() + 3_000_000_000L;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < 2) {
      if (System.nanoTime() > nextReachCheck) {
        // executors that exit before registering: the workers' records say so long before the wait
        // ends
        nextReachCheck = System.nanoTime() + 2_000_000_000L;
        String unreachable = DriverReach.check(spark.sparkContext(), settings);
        if (unreachable != null) {
          throw new BadInputException(unreachable);
        }
      }
      if (StopSignal.requested()) {
        throw new RunEndedException(
            "before the run started (no executor yet); nothing was written", true);
      }
      if (spark.sparkContext().isStopped()) {
        throw new IllegalStateException(
            "the cluster ended the application before any executor started (a"
                + " standalone master does after 10 executors fail to launch): the reason is in the executors' stderr,"
                + " under the workers' work directories (app-*/N/stderr), and in the workers' logs");
      }
      if (System.nanoTime() > deadline) {
        throw new BadInputException(
            "no executor started within " + waitS + " s (" + WAIT_KEY + "): " + missing(settings));
      }
      Thread.sleep(200);
    }
  }

  /** What each executor asks for, and which of it no worker has (when the master says). */
  static String missing(Map<String, String> s) {
    String gpus = s.get(GPU_AMOUNT);
    String cores = s.getOrDefault("spark.executor.cores", "1");
    String memory = s.getOrDefault(MEMORY, "1g");
    String asks =
        "each executor asks for "
            + (gpus != null ? gpus + " gpu (" + GPU_AMOUNT + "), " : "")
            + cores
            + " cores (spark.executor.cores) and "
            + memory
            + " of memory ("
            + MEMORY
            + ")";
    JsonNode master = masterState(s);
    if (master == null) {
      return asks
          + "; no worker offers all of it"
          + (gpus != null
              ? " (most often the gpu: workers need"
                  + " spark.worker.resource.gpu.amount and a discovery script)"
              : "")
          + "; use a profile that fits the workers";
    }
    List<String> lacking = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    long memoryMb = org.apache.spark.network.util.JavaUtils.byteStringAsMb(memory);
    boolean gpuOk = gpus == null;
    boolean coresOk = false;
    boolean memoryOk = false;
    for (JsonNode w : master.path("workers")) {
      if (!"ALIVE".equals(w.path("state").asText())) {
        continue;
      }
      int freeGpus = w.path("resourcesfree").path("gpu").path("addresses").size();
      gpuOk |= gpus != null && freeGpus >= Double.parseDouble(gpus);
      coresOk |= w.path("coresfree").asInt() >= Integer.parseInt(cores);
      memoryOk |= w.path("memoryfree").asLong() >= memoryMb;
      workers.add(
          w.path("host").asText()
              + ":"
              + w.path("port").asText()
              + " ("
              + w.path("coresfree").asInt()
              + " free cores, "
              + w.path("memoryfree").asLong()
              + " MB free, "
              + freeGpus
              + " gpu)");
    }
    if (!gpuOk) {
      lacking.add(
          "gpu (no worker has "
              + gpus
              + " free; workers need spark.worker.resource.gpu.amount and a"
              + " discovery script, or use a CPU profile)");
    }
    if (!coresOk) {
      lacking.add("cores (no worker has " + cores + " free)");
    }
    if (!memoryOk) {
      lacking.add("memory (no worker has " + memory + " free)");
    }
    return asks
        + "; missing: "
        + (lacking.isEmpty()
            ? "nothing on its own (the workers are busy with other" + " applications)"
            : String.join(", ", lacking))
        + "; alive workers: "
        + (workers.isEmpty() ? "none" : String.join(", ", workers));
  }

  /**
   * A standalone master's web UI: {@link #MASTER_UI_KEY}, else http://MASTER-HOST:8080; null for
   * others.
   */
  static String masterUi(Map<String, String> s) {
    String master = s.getOrDefault("spark.master", "");
    String ui = s.get(MASTER_UI_KEY);
    if (ui == null && master.startsWith("spark://") && !master.contains(",")) {
      ui = "http://" + URI.create(master).getHost() + ":8080";
    }
    return ui;
  }

  private static JsonNode masterState(Map<String, String> s) {
    String ui = masterUi(s);
    if (ui == null) {
      return null;
    }
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create(ui.replaceAll("/+$", "") + "/json/").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(3000);
      try (InputStream in = c.getInputStream()) {
        return new ObjectMapper().readTree(in);
      }
    } catch (Exception e) {
      return null; // no UI there: the message says what the executors ask for
    }
  }
}
