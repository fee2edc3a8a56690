package dev.llmsweep.bench;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.SmallData;
import dev.llmsweep.analysis.SqlScript;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.spark.JobGroup;
import dev.llmsweep.store.LocalPaths;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunLayout;
import dev.llmsweep.store.RunStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Builds the {@code points} table and every view over synthetic raw rows and times it (driver side;
 * the work runs on the executors). The rows are written first, in the layout of docs/schema.md, and
 * that part is not timed. "Building" a view means computing all of its rows and columns (Spark's
 * {@code noop} sink), so nothing is skipped by column pruning. The synthetic run has what every run
 * has from its start, so every view of {@link Views#NAMES} exists: {@code failed/} (no point
 * failed: the {@code failures} view is empty) and no {@code comparisons/} (never compared: the
 * {@code comparisons} view is empty too). A view that cannot be created over a results directory
 * (one kept with {@code --dir} by an older version) is left out with a note, as {@code submit sql}
 * does.
 */
public final class ViewsBenchmark {
  static final String RUN = "bench";

  /** One view built: how long it took and how many rows it has. */
  public record ViewTime(double seconds, long rows) {}

  /** What was built, how long each step took, and the views left out (with why). */
  public record Result(
      long requestRows,
      long itlSamples,
      long batchRows,
      long points,
      double generateS,
      double aggregateS,
      Map<String, ViewTime> views,
      List<String> notes,
      double totalS,
      long peakHeapBytes,
      long peakRssBytes) {}

  private final SparkSession spark;
  private final Path root;
  private final Run run;

  public ViewsBenchmark(SparkSession spark, Path root) {
    this.spark = spark;
    this.root = root;
    this.run = RunStore.open(root.toString(), spark.sparkContext().hadoopConfiguration()).at(RUN);
  }

  /** Whether the synthetic raw rows are there already (a kept {@code --dir}). */
  public boolean generated() {
    return Files.isDirectory(LocalPaths.of(RunLayout.raw(run.dir())));
  }

  /**
   * Writes the synthetic raw rows: {@code rows} requests of {@code tokens} tokens over {@code
   * points} points.
   */
  public double generate(long rows, int points, int tokens) {
    long t0 = System.nanoTime();
    JobGroup group =
        JobGroup.set(spark.sparkContext(), "bench-views-generate", "llm-sweep: synthetic raw rows");
    Map<String, Object> args = Map.of("rows", rows, "points", points, "tokens", tokens, "run", RUN);
    Dataset<Row> requests = spark.sql(sql("synthetic_requests.sql"), args);
    Path tmp = root.resolve("_generate");
    requests
        .repartition(points, functions.col("point_id"))
        .withColumn("pdir", functions.col("point_id"))
        .write()
        .partitionBy("pdir")
        .parquet(tmp.resolve("requests").toString());
    spark
        .read()
        .parquet(tmp.resolve("requests").toString())
        .drop("pdir")
        .createOrReplaceTempView("synthetic_requests");
    spark
        .sql(sql("synthetic_batches.sql"))
        .repartition(points, functions.col("point_id"))
        .withColumn("pdir", functions.col("point_id"))
        .write()
        .partitionBy("pdir")
        .parquet(tmp.resolve("batches").toString());
    place(tmp.resolve("requests"), "requests.parquet");
    place(tmp.resolve("batches"), "batches.parquet");
    deleteTree(tmp);
    spark
        .sql(sql("synthetic_run.sql"), Map.<String, Object>of("run", RUN))
        .coalesce(1)
        .write()
        .parquet(
            new org.apache.hadoop.fs.Path(RunLayout.runsTable(run.dir()), "run.parquet")
                .toString());
    try {
      // what a sweep creates when it starts (SweepJob), read by the failures view; never compared,
      // the run has no comparisons/ and its comparisons view is empty
      run.createDirs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    group.close();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Aggregates the points, then builds every view; returns the timings and peak memory. */
  public Result run(double generateS) {
    resetPeaks();
    long t0 = System.nanoTime();
    long points = Aggregator.aggregate(spark.newSession(), run);
    double aggregate = (System.nanoTime() - t0) / 1e9;
    List<String> notes = Views.load(spark, run.store().uri(), RUN, Set.of());
    Map<String, ViewTime> views = new LinkedHashMap<>();
    for (String view : Views.NAMES) {
      if (!spark.catalog().tableExists(view)) {
        continue; // left out by Views.load, which said why in a note
      }
      // as the analysis commands run it: a view of rows a point with the small-data settings
      SmallData.forViews(spark, Set.of(view), List.of(run));
      long v0 = System.nanoTime();
      try (JobGroup group =
          JobGroup.set(
              spark.sparkContext(), "bench-views-" + view, "llm-sweep: build view " + view)) {
        Observation rows = new Observation("rows of " + view);
        spark
            .table(view)
            .observe(rows, functions.count(functions.lit(1)).as("rows"))
            .write()
            .format("noop")
            .mode("overwrite")
            .save();
        double seconds = (System.nanoTime() - v0) / 1e9;
        views.put(view, new ViewTime(seconds, observed(rows)));
      }
    }
    double total = (System.nanoTime() - t0) / 1e9;
    Row counts = spark.sql(sql("counts.sql")).first();
    return new Result(
        counts.getLong(0),
        counts.getLong(1),
        counts.getLong(2),
        points,
        generateS,
        aggregate,
        views,
        notes,
        total,
        peakHeap(),
        peakRss());
  }

  public static void report(Result r, PrintStream out) {
    out.printf(
        "bench-views: %,d request rows (%,d ITL samples), %,d batch rows, %d points%n",
        r.requestRows(), r.itlSamples(), r.batchRows(), r.points());
    out.printf("  synthetic raw rows written in %.1f s (not timed below)%n", r.generateS());
    out.printf("  points table (aggregation, exact quantiles): %.1f s%n", r.aggregateS());
    r.views()
        .forEach(
            (v, t) -> out.printf("  view %-16s %.1f s  (%,d rows)%n", v, t.seconds(), t.rows()));
    r.notes().forEach(n -> out.println("  note: " + n));
    out.printf("  total: %.1f s (target <= 60 s)%n", r.totalS());
    out.printf(
        "  peak JVM heap used: %.2f GiB; peak process RSS: %.2f GiB; max heap %.2f GiB%n",
        r.peakHeapBytes() / 1073741824.0,
        r.peakRssBytes() / 1073741824.0,
        Runtime.getRuntime().maxMemory() / 1073741824.0);
  }

  /** The row count an observation saw (available once the action that carried it has finished). */
  private static long observed(Observation rows) {
    try {
      return ((Number) rows.getAsJava().get("rows")).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the row count", e);
    }
  }

  private static String sql(String name) {
    return SqlScript.resource(ViewsBenchmark.class, name).statements().get(0);
  }

  /** Moves {@code dir/pdir=<point>/part-*.parquet} to {@code ROOT/bench/raw/p-<point>/<name>}. */
  private void place(Path dir, String name) {
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path p : parts.filter(Files::isDirectory).toList()) {
        String point = p.getFileName().toString().substring("pdir=".length());
        Path target =
            LocalPaths.of(new org.apache.hadoop.fs.Path(RunLayout.point(run.dir(), point), name));
        Files.createDirectories(target.getParent());
        List<Path> files;
        try (Stream<Path> s = Files.list(p)) {
          files = s.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
        }
        if (files.size() != 1) {
          throw new IllegalStateException(
              "expected one file per point in " + p + ", found " + files.size());
        }
        Files.move(files.get(0), target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    try {
      // Linux: "5" resets the process's peak resident set size (VmHWM)
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux: the RSS peak then covers the whole process
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
