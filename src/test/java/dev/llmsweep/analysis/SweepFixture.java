package dev.llmsweep.analysis;

import dev.llmsweep.analysis.RawRows.Batch;
import dev.llmsweep.analysis.RawRows.Point;
import dev.llmsweep.analysis.RawRows.Request;
import dev.llmsweep.store.FailureReason;
import dev.llmsweep.store.Placement;
import dev.llmsweep.store.PointEnvironment;
import dev.llmsweep.store.PointFailure;
import dev.llmsweep.store.RawFiles;
import dev.llmsweep.store.TestRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A small run written once per JVM: a batch sweep whose throughput-latency curve has a known knee,
 * an output-length sweep and a sampling sweep. Every point has three measured batches of latencies
 * 0.9 L, L and 1.5 L (so p50 = L and p99 = 1.49 L) and known generated tokens, so its p50, p99 and
 * throughput are known exactly. Written and read on the context that reads each file in one task
 * ({@link TestSpark#newWholeFileSession}): each of its points has one file a table, whose one row
 * group one task reads however it is split (2 KB splits added only empty tasks to every query of
 * the classes that read it).
 */
public final class SweepFixture {
  public static final String RUN = "run-sweep";

  /** The fixture's one failed point (batch 128 of the batch experiment, out of memory). */
  public static final PointFailure FAILED =
      new PointFailure(
          RUN,
          new PointFailure.Setting("f128", "batch", "tiny", "float32", 128, 128, 6, 0.7, 0.9, 0, 0),
          new Placement("driver", "host", "1@host", "cpu", "cpu", null),
          new PointFailure.Cause(
              PointFailure.Phase.GENERATE,
              FailureReason.OUT_OF_MEMORY,
              "java.lang.OutOfMemoryError",
              "Java heap space",
              "2026-01-01T00:00:00Z",
              12.5,
              true));

  /** Batch sizes of the batch sweep and their p50 batch latency (s) and target throughput. */
  public static final int[] BATCH = {1, 2, 4, 8, 16, 32, 64};

  public static final double[] BATCH_P50_S = {1.0, 1.1, 1.2, 1.3, 2.0, 4.0, 8.0};
  public static final double[] BATCH_THROUGHPUT = {100, 190, 360, 640, 700, 730, 750};

  /** A point's known figures. */
  public record Known(
      String id, String experiment, int batchSize, double p50S, double p99S, double throughput) {}

  private static Path root;
  private static List<Known> known;

  private SweepFixture() {}

  public static synchronized Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("llm-sweep-views-test");
        Path created = root;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        RawRows.deleteTree(created);
                      } catch (IOException e) {
                        // a temporary directory: left for the OS to clean
                      }
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      SparkSession spark = TestSpark.newWholeFileSession();
      RawRows raw = new RawRows(spark, root, RUN);
      known = new ArrayList<>();
      for (int i = 0; i < BATCH.length; i++) {
        write(
            raw,
            new Point("b" + BATCH[i], "batch", BATCH[i], 128, 6, 0.7, 0.9, 0),
            BATCH_P50_S[i],
            BATCH_THROUGHPUT[i]);
      }
      int[] lengths = {32, 64, 128};
      for (int i = 0; i < lengths.length; i++) {
        write(
            raw,
            new Point("s" + lengths[i], "seqlen", 8, lengths[i], 6, 0.7, 0.9, 0),
            3.0 + i,
            50 + 10 * i);
      }
      double[] temperatures = {0.0, 1.3};
      double[] topPs = {0.8, 1.0};
      for (double t : temperatures) {
        for (double p : topPs) {
          write(
              raw,
              new Point("t" + t + "p" + p, "sampling", 1, 64, 6, t, p, 0),
              0.9 + t / 10 + p / 100,
              60 + t);
        }
      }
      raw.commit();
      // each point's environment, as the executor commits it: steady probes, no device telemetry
      try {
        for (Known k : known) {
          PointEnvironment.Probe probe =
              new PointEnvironment.Probe(20, 150, Double.NaN, Double.NaN, 5);
          RawFiles.writeProbes(
              new org.apache.hadoop.fs.Path(
                  root.resolve(RUN)
                      .resolve("raw")
                      .resolve("p-" + k.id())
                      .resolve(RawFiles.PROBES)
                      .toUri()),
              RUN,
              k.id(),
              new PointEnvironment(0.10, 1000, 5, probe, probe, 0.01, 0.0, null, -1, List.of()),
              new org.apache.hadoop.conf.Configuration());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // the columns a real manifest row has that the views read (runs, history)
      RunTables.writeRunRow(spark, root, RUN, "fixture", "completed", "2026-12-01T00:00:00Z");
      // a failed point: listed by the failures view, absent from points and the sweep views
      try {
        dev.llmsweep.store.RunStore.open(
                root.toString(), new org.apache.hadoop.conf.Configuration())
            .at(RUN)
            .failures()
            .write(FAILED);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      try {
        // as every run has it from its start: the comparisons view reads it, empty until a compare
        java.nio.file.Files.createDirectories(root.resolve(RUN).resolve("comparisons"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      SparkSession session = TestSpark.newWholeFileSession();
      Aggregator.aggregate(session, TestRuns.open(session, root.toString(), RUN));
    }
    return root;
  }

  public static synchronized List<Known> known() {
    root();
    return known;
  }

  private static void write(RawRows raw, Point p, double p50S, double targetThroughput) {
    double l = p50S * 1000;
    double[] latencies = {0.9 * l, l, 1.5 * l};
    long tokens = Math.round(targetThroughput * (3.4 * p50S) / 3);
    List<Request> requests = new ArrayList<>();
    List<Batch> batches = new ArrayList<>();
    for (int rep = 0; rep < 3; rep++) {
      batches.add(new Batch(rep, false, false, "1", latencies[rep], tokens));
      requests.add(
          new Request(
              rep,
              false,
              false,
              0,
              "1",
              6,
              (int) tokens,
              10,
              new double[] {1, 2},
              1.5,
              latencies[rep] - 1,
              "length"));
    }
    raw.add(p, requests, batches, 1);
    double p99 = l + 0.98 * (1.5 * l - l);
    known.add(
        new Known(
            p.id(), p.experiment(), p.batchSize(), p50S, p99 / 1000, 3 * tokens / (3.4 * p50S)));
  }
}
