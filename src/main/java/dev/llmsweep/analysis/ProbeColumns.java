package dev.llmsweep.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The calibration-probe columns of {@code points} that compare and the {@code history} view read
 * (driver side), added as NULL to the session's {@code points} view where its tables lack them:
 * runs written before the probes existed. Read with Parquet schema merging, a table that lacks them
 * reads NULL beside one that has them.
 */
public final class ProbeColumns {
  /** Column and SQL type (docs/schema.md, points). */
  private static final List<String[]> COLUMNS =
      List.of(
          new String[] {"env_read_gbps_before", "double"},
          new String[] {"env_read_gbps_after", "double"},
          new String[] {"env_fma_gflops_before", "double"},
          new String[] {"env_fma_gflops_after", "double"},
          new String[] {"env_changed", "boolean"},
          new String[] {"gpu_copy_gbps_before", "double"},
          new String[] {"gpu_copy_gbps_after", "double"},
          new String[] {"gpu_gemm_tflops_before", "double"},
          new String[] {"gpu_gemm_tflops_after", "double"},
          new String[] {"gpu_sm_clock_mhz", "double"},
          new String[] {"gpu_mem_clock_mhz", "double"},
          new String[] {"gpu_throttle_reasons", "string"});

  private ProbeColumns() {}

  /** Replaces the {@code points} view with one that has every probe column. */
  public static void fill(SparkSession spark) {
    Dataset<Row> table = spark.table("points");
    Set<String> present = Arrays.stream(table.columns()).collect(Collectors.toSet());
    boolean changed = false;
    for (String[] c : COLUMNS) {
      if (!present.contains(c[0])) {
        table = table.withColumn(c[0], functions.lit(null).cast(c[1]));
        changed = true;
      }
    }
    if (changed) {
      table.createOrReplaceTempView("points");
    }
  }
}
