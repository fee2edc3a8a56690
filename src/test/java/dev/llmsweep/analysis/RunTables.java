package dev.llmsweep.analysis;

import dev.llmsweep.store.TestRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the tables of a run beside its raw rows ({@link RawRows}): the {@code points} table with
 * the probe columns the executors add, and the manifest row {@code runs/run.parquet}.
 */
public final class RunTables {
  private RunTables() {}

  /**
   * Aggregates the committed run into its {@code points} table and gives every point the probe
   * columns the executors write with each point (docs/schema.md): host read bandwidth and FMA rate
   * before and after the point (the same value), and {@code env_changed}.
   */
  public static void writeProbes(
      SparkSession spark,
      Path root,
      String run,
      double readGbps,
      double fmaGflops,
      boolean envChanged) {
    writeProbes(spark, root, run, readGbps, fmaGflops, envChanged, Double.NaN);
  }

  /**
   * As above, with every point's {@code env_cpu_others} (the share of the CPU other processes took;
   * steal 0), NaN to leave it NULL.
   */
  public static void writeProbes(
      SparkSession spark,
      Path root,
      String run,
      double readGbps,
      double fmaGflops,
      boolean envChanged,
      double cpuOthers) {
    Aggregator.aggregate(spark, TestRuns.open(spark, root.toString(), run));
    Path points = root.resolve(run).resolve("points");
    org.apache.spark.sql.Dataset<Row> table = spark.read().parquet(points.toString());
    List<Row> rows = table.collectAsList();
    org.apache.spark.sql.Dataset<Row> probed =
        spark
            .createDataFrame(rows, table.schema())
            .withColumn("env_read_gbps_before", org.apache.spark.sql.functions.lit(readGbps))
            .withColumn("env_read_gbps_after", org.apache.spark.sql.functions.lit(readGbps))
            .withColumn("env_fma_gflops_before", org.apache.spark.sql.functions.lit(fmaGflops))
            .withColumn("env_fma_gflops_after", org.apache.spark.sql.functions.lit(fmaGflops))
            .withColumn("env_changed", org.apache.spark.sql.functions.lit(envChanged));
    if (!Double.isNaN(cpuOthers)) {
      probed =
          probed
              .withColumn("env_cpu_others", org.apache.spark.sql.functions.lit(cpuOthers))
              .withColumn("env_cpu_steal", org.apache.spark.sql.functions.lit(0.0));
    }
    Path written = root.resolve(run).resolve("_tmp_points");
    probed.coalesce(1).write().parquet(written.toString());
    try {
      RawRows.deleteTree(points);
      Files.move(written, points);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Writes the run's manifest row ({@code runs/run.parquet}) with the job and start time that the
   * {@code history} view reads.
   */
  public static void writeRunRow(
      SparkSession spark, Path root, String run, String jobName, String status, String startedAt) {
    StructType schema =
        new StructType(
            new StructField[] {
              f("run_id", DataTypes.StringType),
              f("job_hash", DataTypes.StringType),
              f("job_name", DataTypes.StringType),
              f("status", DataTypes.StringType),
              f("started_at", DataTypes.StringType)
            });
    spark
        .createDataFrame(List.of(RowFactory.create(run, "abc", jobName, status, startedAt)), schema)
        .coalesce(1)
        .write()
        .parquet(root.resolve(run).resolve("runs/run.parquet").toString());
  }

  /** Writes the run's manifest row ({@code runs/run.parquet}). */
  public static void writeRunRow(SparkSession spark, Path root, String run) {
    StructType schema =
        new StructType(
            new StructField[] {
              f("run_id", DataTypes.StringType), f("job_hash", DataTypes.StringType)
            });
    spark
        .createDataFrame(List.of(RowFactory.create(run, "abc")), schema)
        .coalesce(1)
        .write()
        .parquet(root.resolve(run).resolve("runs/run.parquet").toString());
  }

  private static StructField f(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
