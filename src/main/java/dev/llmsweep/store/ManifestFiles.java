package dev.llmsweep.store;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * Writes and reads the run manifest (driver side): {@code manifest.json} with snake_case keys (the
 * resolved job embedded as JSON), and {@code runs/run.parquet}, one row of the {@code runs} table,
 * written when the run ends. Both are replaced whole: written beside the target, then renamed.
 */
public final class ManifestFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);
  static final MessageType RUNS_SCHEMA =
      Types.buildMessage()
          .required(BINARY)
          .as(stringType())
          .named("run_id")
          .required(BINARY)
          .as(stringType())
          .named("job_name")
          .required(BINARY)
          .as(stringType())
          .named("job_file")
          .required(BINARY)
          .as(stringType())
          .named("job_sha256")
          .required(BINARY)
          .as(stringType())
          .named("job_json")
          .required(BINARY)
          .as(stringType())
          .named("status")
          .required(BINARY)
          .as(stringType())
          .named("started_at")
          .optional(BINARY)
          .as(stringType())
          .named("ended_at")
          .required(BINARY)
          .as(stringType())
          .named("project_version")
          .optional(BINARY)
          .as(stringType())
          .named("git_commit")
          .required(BINARY)
          .as(stringType())
          .named("spark_master")
          .required(BINARY)
          .as(stringType())
          .named("spark_version")
          .required(BINARY)
          .as(stringType())
          .named("app_id")
          .required(INT32)
          .named("executors")
          .required(BINARY)
          .as(stringType())
          .named("executors_json")
          .requiredList()
          .requiredElement(BINARY)
          .as(stringType())
          .named("devices")
          .optional(BINARY)
          .as(stringType())
          .named("djl_version")
          .optional(BINARY)
          .as(stringType())
          .named("pytorch_version")
          .required(BINARY)
          .as(stringType())
          .named("jvm")
          .required(INT32)
          .named("points_planned")
          .required(INT32)
          .named("points_committed")
          .required(INT32)
          .named("points_run")
          .required(INT32)
          .named("points_skipped")
          .required(INT32)
          .named("points_failed")
          .required(BINARY)
          .as(stringType())
          .named("metric_definitions")
          .optional(INT32)
          .named("attempts")
          .optional(BINARY)
          .as(stringType())
          .named("attempts_json")
          .named("runs");

  private ManifestFiles() {}

  /** Writes manifest.json, and the runs table row once the run has ended (not while running). */
  public static void write(Run run, RunManifest m) throws IOException {
    Path dir = run.dir();
    Configuration conf = run.store().conf();
    FileSystem fs = dir.getFileSystem(conf);
    fs.mkdirs(dir);
    ObjectNode node = JSON.valueToTree(m);
    node.set("job_json", JSON.readTree(m.job().json()));
    run.manifestWritten();
    replace(fs, RunLayout.manifest(dir), JSON.writeValueAsBytes(node));
    if (m.endedAt() == null) {
      return;
    }
    Path runs = RunLayout.runsTable(dir);
    fs.mkdirs(runs);
    Path tmp = new Path(runs, ".run-" + UUID.randomUUID() + ".parquet");
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(RawFiles.output(tmp, conf))
            .withConf(conf)
            .withType(RUNS_SCHEMA)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .build()) {
      w.write(row(m));
    }
    Path target = new Path(runs, "run.parquet");
    fs.delete(target, false);
    fs.rename(tmp, target);
  }

  /**
   * The attempts a run's manifest records, oldest first; an empty list for a run without a
   * manifest, and one attempt made of the top-level fields for a manifest written before attempts
   * were recorded.
   */
  public static List<RunManifest.Attempt> readAttempts(Run run) throws IOException {
    JsonNode m = run.manifest();
    if (m == null) {
      return List.of();
    }
    if (m.has("attempts")) {
      return List.of(JSON.treeToValue(m.get("attempts"), RunManifest.Attempt[].class));
    }
    List<ExecutorSummary> executors =
        m.path("executors").isArray()
            ? List.of(JSON.treeToValue(m.get("executors"), ExecutorSummary[].class))
            : List.of();
    List<String> devices =
        m.path("devices").isArray()
            ? List.of(JSON.treeToValue(m.get("devices"), String[].class))
            : List.of();
    return List.of(
        new RunManifest.Attempt(
            1,
            m.path("started_at").asText(null),
            m.path("ended_at").asText(null),
            JSON.treeToValue(m.path("status"), RunManifest.Status.class),
            m.path("spark_master").asText(null),
            m.path("app_id").asText(null),
            executors,
            devices,
            m.path("pytorch_version").asText(null),
            m.path("points_run").asInt(),
            m.path("points_failed").asInt(),
            null,
            List.of(),
            List.of(),
            null));
  }

  /** Reads a manifest.json, or returns null when there is none (a run written by another tool). */
  static JsonNode readIfPresent(Path manifest, Configuration conf) throws IOException {
    try (var in = manifest.getFileSystem(conf).open(manifest)) {
      return JSON.readTree(in);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private static void replace(FileSystem fs, Path target, byte[] bytes) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + "-" + UUID.randomUUID());
    try (OutputStream out = fs.create(tmp, false)) {
      out.write(bytes);
    }
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  private static Group row(RunManifest m) throws IOException {
    Group g = new SimpleGroupFactory(RUNS_SCHEMA).newGroup();
    RunManifest.Job job = m.job();
    RunManifest.Software sw = m.software();
    g.append("run_id", m.runId())
        .append("job_name", job.name())
        .append("job_file", job.file())
        .append("job_sha256", job.sha256())
        .append("job_json", job.json())
        .append("status", m.status().label())
        .append("started_at", m.startedAt());
    optional(g, "ended_at", m.endedAt());
    g.append("project_version", sw.projectVersion());
    optional(g, "git_commit", sw.gitCommit());
    g.append("spark_master", m.spark().sparkMaster())
        .append("spark_version", m.spark().sparkVersion())
        .append("app_id", m.spark().appId())
        .append("executors", m.executors().size())
        .append(
            "executors_json",
            new String(JSON.writeValueAsBytes(m.executors()), StandardCharsets.UTF_8));
    Group devices = g.addGroup("devices");
    for (String d : m.devices()) {
      devices.addGroup("list").append("element", d);
    }
    optional(g, "djl_version", sw.djlVersion());
    optional(g, "pytorch_version", sw.pytorchVersion());
    RunManifest.Points n = m.points();
    g.append("jvm", sw.jvm())
        .append("points_planned", n.planned())
        .append("points_committed", n.committed())
        .append("points_run", n.run())
        .append("points_skipped", n.skipped())
        .append("points_failed", n.failed())
        .append("metric_definitions", m.metricDefinitions());
    g.append("attempts", m.attempts().size())
        .append(
            "attempts_json",
            new String(JSON.writeValueAsBytes(m.attempts()), StandardCharsets.UTF_8));
    return g;
  }

  private static void optional(Group g, String name, String v) {
    if (v != null) {
      g.append(name, v);
    }
  }
}
