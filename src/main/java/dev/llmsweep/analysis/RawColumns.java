package dev.llmsweep.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The raw columns added with the endpoint engine, filled in for runs written before them (driver
 * side): such a run's rows came from the built-in engine, closed loop, with no request failures and
 * no SLOs. Replaces the session's {@code requests} and {@code batches} views, or its {@code points}
 * view (the {@code points} table carries the same serving columns).
 */
public final class RawColumns {
  /** Column, SQL type, and the value older runs mean by its absence. */
  private record Added(String name, String type, Object value) {}

  private static final List<Added> CALL =
      List.of(
          new Added("engine", "string", "builtin"),
          new Added("endpoint", "string", ""),
          new Added("request_rate", "double", 0.0),
          new Added("slo_ttft_ms", "double", 0.0),
          new Added("slo_tpot_ms", "double", 0.0));
  private static final List<Added> REQUEST = List.of(new Added("error", "string", null));

  /**
   * The environment columns of {@code points} (NULL: not measured, as in runs written before
   * probes).
   */
  private static final List<Added> ENVIRONMENT =
      List.of(
          new Added("env_changed", "boolean", null),
          new Added("env_change", "double", null),
          new Added("env_tolerance", "double", null),
          new Added("env_read_noise", "double", null),
          new Added("env_fma_noise", "double", null),
          new Added("gpu_copy_noise", "double", null),
          new Added("gpu_gemm_noise", "double", null),
          new Added("env_read_gbps_before", "double", null),
          new Added("env_read_gbps_after", "double", null),
          new Added("env_fma_gflops_before", "double", null),
          new Added("env_fma_gflops_after", "double", null),
          new Added("env_probe_ms", "double", null),
          new Added("env_point_ms", "double", null),
          new Added("env_cpu_others", "double", null),
          new Added("env_cpu_steal", "double", null),
          new Added("gpu_copy_gbps_before", "double", null),
          new Added("gpu_copy_gbps_after", "double", null),
          new Added("gpu_gemm_tflops_before", "double", null),
          new Added("gpu_gemm_tflops_after", "double", null),
          new Added("gpu_sm_clock_mhz", "double", null),
          new Added("gpu_mem_clock_mhz", "double", null),
          new Added("gpu_temp_c_max", "double", null),
          new Added("gpu_power_w", "double", null),
          new Added("gpu_energy_j", "double", null),
          new Added("gpu_peak_memory_mib", "double", null),
          new Added("gpu_throttle_reasons", "string", null),
          new Added("gpu_other_processes", "int", null),
          new Added("telemetry_source", "string", null),
          new Added("tokens_per_joule", "double", null));

  private RawColumns() {}

  static void fillMissing(SparkSession spark) {
    fill(spark, "requests", false, CALL, REQUEST);
    fill(spark, "batches", false, CALL, List.of());
  }

  /**
   * Fills the serving columns of the {@code points} view. Over several runs, read that view with
   * Parquet schema merging ({@code spark.sql.parquet.mergeSchema}): the rows of a points table
   * written before a column existed then hold NULL there, and get its value here, while a table
   * that has it keeps its own (without merging, one table's schema would stand for all of them).
   * The view is replaced by its plan as resolved now, so the merged schema stays once the setting
   * is unset (a view of SQL text is resolved again at each use).
   */
  public static void fillMissingInPoints(SparkSession spark) {
    fill(spark, "points", true, CALL);
  }

  /**
   * Adds the environment columns, NULL, to a {@code points} view read from a table written before
   * they existed, so the views over it resolve ({@code ./submit aggregate} rewrites the table).
   */
  public static void fillMissingEnvironment(SparkSession spark) {
    fill(spark, "points", false, ENVIRONMENT);
  }

  @SafeVarargs
  private static void fill(SparkSession spark, String view, boolean merged, List<Added>... groups) {
    Dataset<Row> table = spark.table(view);
    Set<String> present = Arrays.stream(table.columns()).collect(Collectors.toSet());
    boolean changed = merged;
    for (List<Added> group : groups) {
      for (Added a : group) {
        Column value = functions.lit(a.value()).cast(a.type());
        if (!present.contains(a.name())) {
          table = table.withColumn(a.name(), value);
          changed = true;
        } else if (merged && a.value() != null) {
          // the rows of the tables that lack the column read NULL
          table = table.withColumn(a.name(), functions.coalesce(functions.col(a.name()), value));
        }
      }
    }
    if (changed) {
      table.createOrReplaceTempView(view);
    }
  }
}
