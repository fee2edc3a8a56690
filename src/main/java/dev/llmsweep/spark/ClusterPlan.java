package dev.llmsweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.errors.BadInputException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;

/**
 * {@code plan --master M}: whether a job's executors fit the cluster, read from the cluster without
 * submitting anything (driver side; no Spark context, no spark-submit). A standalone master's state
 * comes from its web UI's JSON ({@code http://MASTER-HOST:8080/json/}, or {@link
 * ClusterFit#MASTER_UI_KEY}); YARN and Kubernetes are said to be unchecked. A worker fits when its
 * GPUs, cores and memory each hold one executor's; no alive worker that fits, or a master that does
 * not answer, is a {@link BadInputException} naming it (exit 2).
 */
public final class ClusterPlan {
  private ClusterPlan() {}

  /** One executor's ask, from the resolved settings. */
  record Ask(double gpus, int cores, long memoryMb, String memory) {
    static Ask of(Map<String, String> s) {
      String memory = s.getOrDefault(ClusterFit.MEMORY, "1g");
      return new Ask(
          Double.parseDouble(s.getOrDefault(ClusterFit.GPU_AMOUNT, "0")),
          Integer.parseInt(s.getOrDefault("spark.executor.cores", "1")),
          JavaUtils.byteStringAsMb(memory),
          memory);
    }

    @Override
    public String toString() {
      return (gpus > 0 ? fmt(gpus) + " gpu, " : "") + cores + " cores, " + memory + " of memory";
    }
  }

  /** Prints the cluster's fit for the settings (already checked by {@link ClusterFit#check}). */
  public static void print(Map<String, String> settings, int points, PrintWriter out) {
    String master = settings.getOrDefault("spark.master", "");
    Ask ask = Ask.of(settings);
    if (!master.startsWith("spark://")) {
      out.printf(
          "cluster %s: not checked (plan reads only a standalone master's state); each executor asks for"
              + " %s: check that the %s has nodes with that much free%n",
          master, ask, master.startsWith("yarn") ? "YARN queue" : "Kubernetes namespace");
      return;
    }
    String ui = ClusterFit.masterUi(settings);
    JsonNode state = read(ui, master);
    List<String> fits = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    int executors = 0;
    for (JsonNode w : state.path("workers")) {
      if (!"ALIVE".equals(w.path("state").asText())) {
        continue;
      }
      int gpus = w.path("resources").path("gpu").path("addresses").size();
      int cores = w.path("cores").asInt();
      long memory = w.path("memory").asLong();
      List<String> lacks = new ArrayList<>();
      if (gpus < ask.gpus()) {
        lacks.add(gpus + " gpu < " + fmt(ask.gpus()));
      }
      if (cores < ask.cores()) {
        lacks.add(cores + " cores < " + ask.cores());
      }
      if (memory < ask.memoryMb()) {
        lacks.add(memory + " MB < " + ask.memoryMb() + " MB");
      }
      String name = w.path("host").asText() + ":" + w.path("port").asText();
      if (lacks.isEmpty()) {
        int n = Math.min(cores / ask.cores(), (int) (memory / ask.memoryMb()));
        if (ask.gpus() > 0) {
          n = Math.min(n, (int) (gpus / ask.gpus()));
        }
        executors += n;
        fits.add(
            String.format(
                Locale.ROOT,
                "%s (%d cores, %d MB, %d gpu: %d executor%s; free now: %d cores, %d MB)",
                name,
                cores,
                memory,
                gpus,
                n,
                n == 1 ? "" : "s",
                w.path("coresfree").asInt(),
                w.path("memoryfree").asLong()));
      } else {
        gaps.add(name + " (" + String.join(", ", lacks) + ")");
      }
    }
    if (fits.isEmpty()) {
      throw new BadInputException(
          "--master "
              + master
              + ": no alive worker fits an executor of this job (each asks"
              + " for "
              + ask
              + "): "
              + (gaps.isEmpty() ? "the master has no alive worker" : String.join("; ", gaps))
              + (ask.gpus() > 0 && gaps.stream().anyMatch(g -> g.contains(" gpu <"))
                  ? "; GPU workers need"
                      + " spark.worker.resource.gpu.amount and a discovery script"
                  : "")
              + "; use a profile that fits the workers");
    }
    out.printf(
        "cluster %s: %d of %d alive workers fit an executor (each asks for %s): %d executors, %d point%s at a"
            + " time%n",
        master,
        fits.size(),
        fits.size() + gaps.size(),
        ask,
        executors,
        Math.min(points, executors),
        Math.min(points, executors) == 1 ? "" : "s");
    fits.forEach(f -> out.println("  fits: " + f));
    gaps.forEach(g -> out.println("  does not fit: " + g));
  }

  static JsonNode read(String ui, String master) {
    String url = ui.replaceAll("/+$", "") + "/json/";
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout(10000);
      try (InputStream in = c.getInputStream()) {
        return new ObjectMapper().readTree(in);
      }
    } catch (Exception e) {
      throw new BadInputException(
          "--master "
              + master
              + ": the master's state at "
              + url
              + " cannot be read ("
              + e
              + "); is the master up, and its web UI reachable from here? Set "
              + ClusterFit.MASTER_UI_KEY
              + "=http://HOST:PORT when it listens elsewhere",
          e);
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
