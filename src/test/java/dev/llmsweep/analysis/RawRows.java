package dev.llmsweep.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes synthetic raw rows of one run in the layout and schema of docs/schema.md ({@code
 * ROOT/<run>/raw/p-<point>/requests.parquet} and {@code batches.parquet}), so tests know every
 * sample that the aggregation pools.
 */
public final class RawRows {

  /** The axes of a point. */
  public record Point(
      String id,
      String experiment,
      int batchSize,
      int maxTokens,
      int promptTokens,
      double temperature,
      double topP,
      int topK) {
    public static Point batch(String id, int batchSize) {
      return new Point(id, "batch", batchSize, 128, 6, 0.7, 0.9, 0);
    }
  }

  /** One request: its flags, latencies and token counts. itl may be empty; tpot may be null. */
  public record Request(
      int repetition,
      boolean warmup,
      boolean proxy,
      int index,
      String executor,
      int promptTokens,
      int outputTokens,
      double ttftMs,
      double[] itlMs,
      Double tpotMs,
      double e2eMs,
      String finishReason) {}

  /**
   * The serving columns of a point's rows (docs/schema.md {@code requests}): which engine, the
   * endpoint it called, the open-loop arrival rate (0: closed loop) and the SLOs (0: none).
   */
  public record Serving(
      String engine, String endpoint, double requestRate, double sloTtftMs, double sloTpotMs) {
    /** What a run written before the serving columns existed meant by their absence. */
    public static final Serving BUILTIN = new Serving("builtin", "", 0, 0, 0);
  }

  /** One generate call. */
  public record Batch(
      int repetition,
      boolean warmup,
      boolean proxy,
      String executor,
      double latencyMs,
      long generatedTokens) {}

  static final StructType POINT_COLUMNS =
      new StructType(
          new StructField[] {
            f("run_id", DataTypes.StringType), f("point_id", DataTypes.StringType),
            f("experiment", DataTypes.StringType), f("repetition", DataTypes.IntegerType),
            f("warmup", DataTypes.BooleanType), f("proxy", DataTypes.BooleanType)
          });

  static final StructType REQUESTS =
      new StructType(
          concat(
              POINT_COLUMNS.fields(),
              new StructField[] {
                f("request_index", DataTypes.IntegerType), f("model", DataTypes.StringType),
                f("dtype", DataTypes.StringType), f("device", DataTypes.StringType),
                f("device_name", DataTypes.StringType), f("executor_id", DataTypes.StringType),
                f("host", DataTypes.StringType), f("batch_size", DataTypes.IntegerType),
                f("max_tokens", DataTypes.IntegerType), f("prompt_tokens", DataTypes.IntegerType),
                f("temperature", DataTypes.DoubleType), f("top_p", DataTypes.DoubleType),
                f("top_k", DataTypes.IntegerType), f("seed", DataTypes.LongType),
                f("ignore_eos", DataTypes.BooleanType), f("output_tokens", DataTypes.IntegerType),
                f("finish_reason", DataTypes.StringType), f("submit_ns", DataTypes.LongType),
                f("token_ns", DataTypes.createArrayType(DataTypes.LongType)),
                    f("ttft_ms", DataTypes.DoubleType),
                f("itl_ms", DataTypes.createArrayType(DataTypes.DoubleType)),
                    f("tpot_ms", DataTypes.DoubleType),
                f("e2e_ms", DataTypes.DoubleType)
              }));

  static final StructType BATCHES =
      new StructType(
          concat(
              POINT_COLUMNS.fields(),
              new StructField[] {
                f("model", DataTypes.StringType),
                f("dtype", DataTypes.StringType),
                f("device", DataTypes.StringType),
                f("device_name", DataTypes.StringType),
                f("executor_id", DataTypes.StringType),
                f("host", DataTypes.StringType),
                f("batch_size", DataTypes.IntegerType),
                f("max_tokens", DataTypes.IntegerType),
                f("prompt_tokens", DataTypes.IntegerType),
                f("temperature", DataTypes.DoubleType),
                f("top_p", DataTypes.DoubleType),
                f("top_k", DataTypes.IntegerType),
                f("seed", DataTypes.LongType),
                f("ignore_eos", DataTypes.BooleanType),
                f("submit_ns", DataTypes.LongType),
                f("end_ns", DataTypes.LongType),
                f("step_ns", DataTypes.createArrayType(DataTypes.LongType)),
                f("batch_latency_ms", DataTypes.DoubleType),
                f("prefill_ms", DataTypes.DoubleType),
                f("decode_step_ms", DataTypes.createArrayType(DataTypes.DoubleType)),
                f("generated_tokens", DataTypes.LongType)
              }));

  static final StructType SERVING =
      new StructType(
          new StructField[] {
            f("engine", DataTypes.StringType), f("endpoint", DataTypes.StringType),
            f("request_rate", DataTypes.DoubleType), f("slo_ttft_ms", DataTypes.DoubleType),
            f("slo_tpot_ms", DataTypes.DoubleType)
          });

  private final SparkSession spark;
  private final Path root;
  private final String run;
  private final List<Row> requestRows = new ArrayList<>();
  private final List<Row> batchRows = new ArrayList<>();
  private final java.util.Map<String, Integer> files = new java.util.LinkedHashMap<>();

  /** Whether a point was added with its serving columns: only then do the files have them. */
  private boolean serving;

  /** Collects the points of one run; {@link #commit} writes them all in two Spark jobs. */
  public RawRows(SparkSession spark, Path root, String run) {
    this.spark = spark;
    this.root = root;
    this.run = run;
  }

  /**
   * Adds one point: its requests and batches. {@code files} > 1 writes each of its tables as a
   * directory of that many part files (rows spread round-robin); 1 writes single files.
   */
  public RawRows add(Point p, List<Request> requests, List<Batch> batches, int fileCount) {
    return add(p, Serving.BUILTIN, requests, batches, fileCount, false);
  }

  /**
   * Adds one point with its serving columns, as the endpoint engine writes them; the files of every
   * point then carry them (those added without: {@link Serving#BUILTIN}). Without any such point
   * the files lack them, as a run written before they existed.
   */
  public RawRows add(
      Point p, Serving s, List<Request> requests, List<Batch> batches, int fileCount) {
    return add(p, s, requests, batches, fileCount, true);
  }

  private RawRows add(
      Point p,
      Serving s,
      List<Request> requests,
      List<Batch> batches,
      int fileCount,
      boolean withServing) {
    serving |= withServing;
    files.put(p.id(), fileCount);
    int i = 0;
    for (Request q : requests) {
      requestRows.add(
          RowFactory.create(
              run,
              p.id(),
              p.experiment(),
              q.repetition(),
              q.warmup(),
              q.proxy(),
              q.index(),
              "tiny",
              "float32",
              "cpu",
              "test-cpu",
              q.executor(),
              "host-" + q.executor(),
              p.batchSize(),
              p.maxTokens(),
              q.promptTokens(),
              p.temperature(),
              p.topP(),
              p.topK(),
              7L,
              true,
              q.outputTokens(),
              q.finishReason(),
              1000L,
              new long[0],
              q.ttftMs(),
              boxed(q.itlMs()),
              q.tpotMs(),
              q.e2eMs(),
              s.engine(),
              s.endpoint(),
              s.requestRate(),
              s.sloTtftMs(),
              s.sloTpotMs(),
              p.id(),
              i++ % fileCount));
    }
    i = 0;
    for (Batch x : batches) {
      batchRows.add(
          RowFactory.create(
              run,
              p.id(),
              p.experiment(),
              x.repetition(),
              x.warmup(),
              x.proxy(),
              "tiny",
              "float32",
              "cpu",
              "test-cpu",
              x.executor(),
              "host-" + x.executor(),
              p.batchSize(),
              p.maxTokens(),
              p.promptTokens(),
              p.temperature(),
              p.topP(),
              p.topK(),
              7L,
              true,
              1000L,
              2000L,
              new long[0],
              x.latencyMs(),
              1.0,
              new Double[0],
              x.generatedTokens(),
              s.engine(),
              s.endpoint(),
              s.requestRate(),
              s.sloTtftMs(),
              s.sloTpotMs(),
              p.id(),
              i++ % fileCount));
    }
    return this;
  }

  /** Writes every added point into {@code ROOT/<run>/raw/p-<point>/}. */
  public void commit() {
    write(requestRows, REQUESTS, "requests.parquet");
    write(batchRows, BATCHES, "batches.parquet");
  }

  private void write(List<Row> rows, StructType schema, String name) {
    StructType withShard =
        new StructType(concat(schema.fields(), SERVING.fields()))
            .add("pdir", DataTypes.StringType)
            .add("shard", DataTypes.IntegerType);
    Path tmp = root.resolve(run).resolve("_tmp_" + name);
    int total = files.values().stream().mapToInt(Integer::intValue).sum();
    org.apache.spark.sql.Dataset<Row> table = spark.createDataFrame(rows, withShard);
    if (!serving) {
      table = table.drop(SERVING.fieldNames());
    }
    table
        .repartition(
            total,
            org.apache.spark.sql.functions.col("pdir"),
            org.apache.spark.sql.functions.col("shard"))
        .drop("shard")
        .write()
        .partitionBy("pdir")
        .parquet(tmp.toString());
    try {
      for (var e : files.entrySet()) {
        Path from = tmp.resolve("pdir=" + e.getKey());
        Path target = root.resolve(run).resolve("raw").resolve("p-" + e.getKey()).resolve(name);
        Files.createDirectories(target.getParent());
        List<Path> parts;
        try (Stream<Path> s = Files.list(from)) {
          parts = s.filter(x -> x.getFileName().toString().startsWith("part-")).toList();
        }
        if (e.getValue() == 1 && parts.size() == 1) {
          Files.move(parts.get(0), target);
        } else {
          Files.createDirectories(target);
          for (Path part : parts) {
            Files.move(part, target.resolve(part.getFileName()));
          }
        }
      }
      deleteTree(tmp);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Part files of a point's table (1 for a single file). */
  public static int fileCount(Path root, String run, String point, String name) {
    Path p = root.resolve(run).resolve("raw").resolve("p-" + point).resolve(name);
    if (!Files.isDirectory(p)) {
      return 1;
    }
    try (Stream<Path> s = Files.list(p)) {
      return (int) s.filter(x -> x.getFileName().toString().startsWith("part-")).count();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  private static Double[] boxed(double[] xs) {
    Double[] out = new Double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = xs[i];
    }
    return out;
  }

  private static StructField f(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  private static StructField[] concat(StructField[] a, StructField[] b) {
    StructField[] out = new StructField[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
