package dev.llmsweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.store.RunManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run ran on, from its {@code manifest.json} and its points (driver side).
 *
 * @param facts label to value, in the order the report shows them
 * @param executors one row per executor JVM: id, host, devices, device names, points, model loads
 * @param pointsPlanned points in the plan, or -1 when the manifest is missing
 * @param pointsCommitted points committed, or -1 when the manifest is missing
 * @param status where the run stands; null without a manifest or with a status it does not name
 */
public record RunSetup(
    Map<String, String> facts,
    List<List<Object>> executors,
    int pointsPlanned,
    int pointsCommitted,
    RunManifest.Status status) {

  /** Columns of {@link #executors}. */
  public static final List<String> EXECUTOR_COLUMNS =
      List.of(
          "executor",
          "host",
          "devices",
          "device names",
          "points",
          "model loads",
          "model load (ms)");

  /**
   * The setup from a manifest (null when the run has none) and the points' own facts.
   *
   * @param models the models and dtypes of the points, e.g. {@code tiny (float32)}
   * @param devices the devices and their names the points ran on
   */
  public static RunSetup of(JsonNode manifest, String models, String devices) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("model (dtype)", models);
    f.put("devices", devices);
    List<List<Object>> executors = new ArrayList<>();
    if (manifest == null) {
      return new RunSetup(f, executors, -1, -1, null);
    }
    f.put(
        "job",
        text(manifest, "job_name")
            + " ("
            + text(manifest, "job_file")
            + ", sha256 "
            + abbreviate(text(manifest, "job_sha256"))
            + ")");
    f.put("status", text(manifest, "status"));
    f.put("started / ended", text(manifest, "started_at") + " / " + text(manifest, "ended_at"));
    f.put(
        "points",
        manifest.path("points_committed").asInt()
            + " of "
            + manifest.path("points_planned").asInt()
            + " committed ("
            + manifest.path("points_run").asInt()
            + " run by the last attempt, "
            + manifest.path("points_skipped").asInt()
            + " already committed)");
    f.put(
        "llm-sweep",
        text(manifest, "project_version") + " (commit " + text(manifest, "git_commit") + ")");
    f.put(
        "DJL / PyTorch", text(manifest, "djl_version") + " / " + text(manifest, "pytorch_version"));
    f.put(
        "Spark",
        text(manifest, "spark_version")
            + ", master "
            + text(manifest, "spark_master")
            + ", app "
            + text(manifest, "app_id"));
    f.put("driver JVM", text(manifest, "jvm"));
    for (JsonNode e : manifest.path("executors")) {
      executors.add(
          List.of(
              text(e, "executor_id"),
              text(e, "host"),
              join(e.path("devices")),
              join(e.path("device_names")),
              e.path("points").asInt(),
              e.path("model_loads").asInt(),
              e.path("model_load_ms").asDouble()));
    }
    f.put("executors", String.valueOf(executors.size()));
    return new RunSetup(
        f,
        executors,
        manifest.path("points_planned").asInt(),
        manifest.path("points_committed").asInt(),
        RunManifest.Status.ofLabel(manifest.path("status").asText(null)));
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? "unknown" : v.asText();
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return String.join(", ", out);
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
