package dev.llmsweep.store;

import dev.llmsweep.engine.FinishReason;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.SteadyState;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * The raw {@code requests} and {@code batches} Parquet files of docs/schema.md, written with
 * parquet-mr (executor side). Lists use Parquet's standard three-level LIST layout, which Spark
 * reads as {@code array<...>}.
 */
public final class RawFiles {
  public static final String REQUESTS = "requests.parquet";
  public static final String BATCHES = "batches.parquet";

  /** The point's environment ({@link PointEnvironment}); absent in runs written before it. */
  public static final String PROBES = "probes.parquet";

  static final MessageType REQUESTS_SCHEMA = RawSchemas.requests();
  static final MessageType BATCHES_SCHEMA = RawSchemas.batches();
  static final MessageType PROBES_SCHEMA = RawSchemas.probes();

  private RawFiles() {}

  /**
   * Where a file goes: on the local filesystem straight through java.nio (no Hadoop checksum files,
   * a fraction of the per-file cost), elsewhere through Hadoop's filesystem.
   */
  static OutputFile output(Path file, Configuration conf) throws IOException {
    java.nio.file.Path local = LocalPaths.of(file);
    if (local != null) {
      return new LocalOutputFile(local);
    }
    return HadoopOutputFile.fromPath(file, conf);
  }

  static void writeRequests(Path file, List<RequestRow> rows, Configuration conf)
      throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(REQUESTS_SCHEMA);
    try (ParquetWriter<Group> w = writer(file, REQUESTS_SCHEMA, conf)) {
      for (RequestRow r : rows) {
        Group g = f.newGroup();
        callValues(g, r.call(), r.requestIndex(), r.promptTokens());
        g.append("output_tokens", r.outputTokens())
            .append("finish_reason", r.finishReason().label())
            .append("submit_ns", r.submitNs());
        longs(g, "token_ns", r.tokenNs());
        optional(g, "ttft_ms", r.ttftMs());
        doubles(g, "itl_ms", r.itlMs());
        optional(g, "tpot_ms", r.tpotMs());
        optional(g, "e2e_ms", r.e2eMs());
        if (r.error() != null) {
          g.append("error", r.error());
        }
        w.write(g);
      }
    }
  }

  static void writeBatches(Path file, List<BatchRow> rows, Configuration conf) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(BATCHES_SCHEMA);
    try (ParquetWriter<Group> w = writer(file, BATCHES_SCHEMA, conf)) {
      for (BatchRow r : rows) {
        Group g = f.newGroup();
        callValues(g, r.call(), -1, r.promptTokens());
        g.append("submit_ns", r.submitNs()).append("end_ns", r.endNs());
        longs(g, "step_ns", r.stepNs());
        g.append("batch_latency_ms", r.batchLatencyMs());
        optional(g, "prefill_ms", r.prefillMs());
        doubles(g, "decode_step_ms", r.decodeStepMs());
        g.append("generated_tokens", r.generatedTokens());
        w.write(g);
      }
    }
  }

  /** Writes a point's {@code probes.parquet} (the committer's, and test fixtures'). */
  public static void writeProbes(
      Path file, String runId, String pointId, PointEnvironment e, Configuration conf)
      throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(PROBES_SCHEMA);
    try (ParquetWriter<Group> w = writer(file, PROBES_SCHEMA, conf)) {
      Group g = f.newGroup();
      g.append("run_id", runId)
          .append("point_id", pointId)
          .append("env_tolerance", e.tolerance())
          .append("point_ms", e.pointMs())
          .append("probe_ms", e.probeMs());
      probe(g, "before", e.before());
      probe(g, "after", e.after());
      optional(g, "cpu_others", e.cpuOthers());
      optional(g, "cpu_steal", e.cpuSteal());
      if (e.telemetrySource() != null) {
        g.append("telemetry_source", e.telemetrySource());
      }
      if (e.otherProcesses() >= 0) {
        g.append("gpu_other_processes", e.otherProcesses());
      }
      Group list = g.addGroup("samples");
      for (PointEnvironment.Sample s : e.samples()) {
        Group x = list.addGroup("list").addGroup("element");
        x.append("host_ns", s.hostNs()).append("measured", s.measured());
        optional(x, "sm_clock_mhz", s.smClockMhz());
        optional(x, "mem_clock_mhz", s.memClockMhz());
        optional(x, "temperature_c", s.temperatureC());
        optional(x, "power_w", s.powerW());
        optional(x, "memory_used_mib", s.memoryUsedMib());
        if (s.throttleReasons() != null) {
          x.append("throttle_reasons", s.throttleReasons());
        }
      }
      w.write(g);
    }
  }

  private static void probe(Group g, String when, PointEnvironment.Probe p) {
    if (p == null) {
      return;
    }
    optional(g, "read_gbps_" + when, p.readGbps());
    optional(g, "fma_gflops_" + when, p.fmaGflops());
    optional(g, "gpu_copy_gbps_" + when, p.gpuCopyGbps());
    optional(g, "gpu_gemm_tflops_" + when, p.gpuGemmTflops());
  }

  /**
   * Writes and deletes a throw-away file of each schema in a background thread, so the first
   * point's commit does not pay for loading and compiling the Parquet writer: it overlaps with the
   * model load and the first generate calls. Once per JVM.
   */
  public static void prewarm() {
    if (!PREWARMED.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                java.nio.file.Path dir =
                    java.nio.file.Files.createTempDirectory("llm-sweep-prewarm-");
                try {
                  Configuration conf = new Configuration(false);
                  Point p =
                      new Point(
                          new Point.Identity("0000000000000000", "prewarm", 0),
                          new Point.ModelChoice("none", "float32", "cpu"),
                          Point.Shape.synthetic(1, 2, 1),
                          SamplingParams.greedy(),
                          new Point.Measurement(1, 0, false, 0, SteadyState.fixed(0)),
                          Point.Stopping.never());
                  CallContext c =
                      new CallContext(
                          "prewarm",
                          p,
                          0,
                          false,
                          false,
                          2,
                          new Placement("none", "none", "none", "cpu", "cpu", null));
                  writeRequests(
                      new Path(dir.resolve(REQUESTS).toUri()),
                      List.of(
                          new RequestRow(
                              c,
                              0,
                              1,
                              2,
                              FinishReason.LENGTH,
                              0,
                              new long[] {1, 2},
                              1,
                              new double[] {1},
                              1,
                              2)),
                      conf);
                  writeBatches(
                      new Path(dir.resolve(BATCHES).toUri()),
                      List.of(
                          new BatchRow(c, 1, 0, 3, new long[] {1, 2}, 3, 1, new double[] {1}, 2)),
                      conf);
                } finally {
                  try (var files = java.nio.file.Files.list(dir)) {
                    for (java.nio.file.Path f : files.toList()) {
                      java.nio.file.Files.deleteIfExists(f);
                    }
                  }
                  java.nio.file.Files.deleteIfExists(dir);
                }
              } catch (IOException | RuntimeException e) {
                // only a warm-up: the real commit reports any real problem
              }
            },
            "llm-sweep-parquet-prewarm");
    t.setDaemon(true);
    t.start();
  }

  private static final java.util.concurrent.atomic.AtomicBoolean PREWARMED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private static ParquetWriter<Group> writer(Path file, MessageType schema, Configuration conf)
      throws IOException {
    return ExampleParquetWriter.builder(output(file, conf))
        .withConf(conf)
        .withType(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        // a point's files are small (KBs): small pages, no dictionaries, no page checksums
        .withDictionaryEncoding(false)
        .withPageSize(64 * 1024)
        .withPageWriteChecksumEnabled(false)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .build();
  }

  private static void callValues(Group g, CallContext c, int requestIndex, int promptTokens) {
    Point p = c.point();
    g.append("run_id", c.runId())
        .append("point_id", p.pointId())
        .append("experiment", p.identity().experiment())
        .append("repetition", c.repetition())
        .append("warmup", c.warmup())
        .append("proxy", c.proxy());
    if (requestIndex >= 0) {
      g.append("request_index", requestIndex);
    }
    Placement where = c.placement();
    g.append("model", p.model().name())
        .append("dtype", p.model().dtype())
        .append("device", where.device())
        .append("device_name", where.deviceName())
        .append("executor_id", where.executorId())
        .append("host", where.host())
        .append("batch_size", p.shape().batchSize())
        .append("max_tokens", c.maxTokens());
    if (promptTokens >= 0) {
      g.append(
          "prompt_tokens", promptTokens); // unknown (an endpoint without usage or tokenizer): NULL
    }
    SamplingParams s = p.sampling();
    g.append("temperature", s.temperature())
        .append("top_p", s.topP())
        .append("top_k", s.topK())
        .append("seed", s.seed())
        .append("ignore_eos", p.stopping().ignoreEos());
    dev.llmsweep.job.Serving serving = p.serving();
    g.append("engine", serving.engine())
        .append("endpoint", c.endpoint())
        .append("request_rate", serving.load().requestRate())
        .append("slo_ttft_ms", serving.slo().ttftMs())
        .append("slo_tpot_ms", serving.slo().tpotMs());
  }

  private static void longs(Group g, String name, long[] values) {
    Group list = g.addGroup(name);
    for (long v : values) {
      list.addGroup("list").append("element", v);
    }
  }

  private static void doubles(Group g, String name, double[] values) {
    Group list = g.addGroup(name);
    for (double v : values) {
      list.addGroup("list").append("element", v);
    }
  }

  private static void optional(Group g, String name, double v) {
    if (!Double.isNaN(v)) {
      g.append(name, v);
    }
  }
}
