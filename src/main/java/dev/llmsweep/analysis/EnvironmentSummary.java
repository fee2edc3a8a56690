package dev.llmsweep.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A run's environment in one line (driver side): how much of its points' time the calibration
 * probes took, the median probe readings, and how many points saw their environment change. The
 * sweep prints it after aggregating; it reads the run's {@code points} table.
 *
 * @param points points with probes
 * @param envChanged of them, points whose before and after probes differ beyond the tolerance
 * @param probeMs the probes' time, summed over the points
 * @param pointMs the points' own time (probes, warm-ups and measured calls), summed
 * @param readGbps median host read bandwidth before the points, GB/s (NaN: none)
 * @param fmaGflops median host FMA rate before the points, GFLOPS
 * @param tolerance the largest env_tolerance of the points
 * @param readNoise the run's host read-bandwidth probe resolution (points.env_read_noise; NaN: too
 *     few points to tell)
 * @param fmaNoise the run's FMA probe resolution (points.env_fma_noise)
 * @param cpuOthers median share of the host's CPU time other processes used while a point ran (NaN:
 *     not measured)
 * @param cpuSteal median share the hypervisor took
 */
public record EnvironmentSummary(
    long points,
    long envChanged,
    double probeMs,
    double pointMs,
    double readGbps,
    double fmaGflops,
    double tolerance,
    double readNoise,
    double fmaNoise,
    double cpuOthers,
    double cpuSteal) {

  /**
   * The summary of the points table at {@code pointsTable}; null when no point has probes (an older
   * run).
   */
  public static EnvironmentSummary of(SparkSession spark, String pointsTable) {
    var table = spark.read().parquet(pointsTable);
    if (!Arrays.asList(table.columns()).contains("env_read_noise")) {
      return null;
    }
    if (!Arrays.asList(table.columns()).contains("env_cpu_others")) {
      table =
          table
              .withColumn("env_cpu_others", functions.lit(null).cast("double"))
              .withColumn("env_cpu_steal", functions.lit(null).cast("double"));
    }
    List<Row> rows =
        table
            .where("env_probe_ms IS NOT NULL")
            .agg(
                functions.count("*"),
                functions.count_if(functions.col("env_changed")),
                functions.sum("env_probe_ms"),
                functions.sum("env_point_ms"),
                functions.median(functions.col("env_read_gbps_before")),
                functions.median(functions.col("env_fma_gflops_before")),
                functions.max("env_tolerance"),
                functions.max("env_read_noise"),
                functions.max("env_fma_noise"),
                functions.median(functions.col("env_cpu_others")),
                functions.median(functions.col("env_cpu_steal")))
            .collectAsList();
    Row r = rows.get(0);
    if (r.getLong(0) == 0) {
      return null;
    }
    return new EnvironmentSummary(
        r.getLong(0),
        r.getLong(1),
        number(r, 2),
        number(r, 3),
        number(r, 4),
        number(r, 5),
        number(r, 6),
        number(r, 7),
        number(r, 8),
        number(r, 9),
        number(r, 10));
  }

  private static double number(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }

  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
  }

  /** The probes' share of the points' time. */
  public double probeShare() {
    return pointMs > 0 ? probeMs / pointMs : Double.NaN;
  }

  /** One line for the console. */
  public String describe() {
    return describe(Double.NaN);
  }

  /**
   * One line for the console; with the sweep's wall time (first task's start to last task's end:
   * model loads and warm-ups, commits and Spark's scheduling included), the probes' share of it
   * too.
   */
  public String describe(double sweepSeconds) {
    String sweep =
        Double.isNaN(sweepSeconds)
            ? ""
            : String.format(
                Locale.ROOT,
                ", %.1f%% of the sweep's %.1f s",
                probeMs / 10 / sweepSeconds,
                sweepSeconds);
    return String.format(
        Locale.ROOT,
        "environment: calibration probes took %.0f ms, %.1f%% of the points' %.1f s%s"
            + " (median host read bandwidth %.1f GB/s, FMA %.1f GFLOPS; at rest they move up to %s and %s"
            + " between readings on this machine); %d of %d points env_changed (probes before and"
            + " after differ by more than %.0f%% and more than that)%s%s",
        probeMs,
        100 * probeShare(),
        pointMs / 1000,
        sweep,
        readGbps,
        fmaGflops,
        percent(readNoise),
        percent(fmaNoise),
        envChanged,
        points,
        100 * tolerance,
        envChanged > 0 ? ": left out of recommend and the sweet spot" : "",
        Double.isNaN(cpuOthers)
            ? ""
            : String.format(
                Locale.ROOT,
                "; other processes used %s of the CPU while a point ran, the hypervisor %s"
                    + " (medians)",
                percent(cpuOthers),
                percent(cpuSteal)));
  }
}
