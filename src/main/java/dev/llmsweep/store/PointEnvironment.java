package dev.llmsweep.store;

import java.io.Serializable;
import java.util.List;

/**
 * The environment a point ran in, as its executor measured it: the row of {@code
 * raw/p-<point_id>/probes.parquet} (executor side, committed with the point's rows). NaN marks a
 * figure that was not measured (no GPU, no telemetry tool).
 *
 * @param tolerance the relative before/after difference of a probe that makes the point {@code
 *     env_changed} (the job's {@code env_tolerance})
 * @param pointMs the point's time on its executor from its first probe to its last (warm-ups,
 *     measured calls and probes)
 * @param probeMs time spent in the probes this point ran (a before-probe shared with the point
 *     before counts there)
 * @param before the probes taken just before the point's first call
 * @param after the probes taken just after its last call
 * @param cpuOthers share of the host's CPU time (every core) that processes other than this
 *     executor and what it started used over the point, 0 to 1; NaN when unknown
 * @param cpuSteal share of the host's CPU time the hypervisor took from this guest over the point
 * @param telemetrySource {@code nvidia-smi} or {@code nvml}, null without device telemetry
 * @param otherProcesses processes other than this executor's seen on the device (-1: unknown)
 * @param samples device telemetry samples over the point, oldest first
 */
public record PointEnvironment(
    double tolerance,
    double pointMs,
    double probeMs,
    Probe before,
    Probe after,
    double cpuOthers,
    double cpuSteal,
    String telemetrySource,
    int otherProcesses,
    List<Sample> samples)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One probe reading.
   *
   * @param readGbps host memory read bandwidth, GB/s
   * @param fmaGflops host float32 FMA rate, GFLOPS
   * @param gpuCopyGbps device-to-device copy bandwidth (bytes read + written), GB/s; NaN on CPU
   * @param gpuGemmTflops a fixed float16 GEMM's rate on the device, TFLOPS; NaN on CPU
   * @param millis what the reading took
   */
  public record Probe(
      double readGbps, double fmaGflops, double gpuCopyGbps, double gpuGemmTflops, double millis)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * One device telemetry sample.
   *
   * @param hostNs when it was read, the executor's monotonic clock (comparable with the raw rows'
   *     stamps)
   * @param measured whether it fell within the point's measured calls (from the first one's submit
   *     to the last one's end)
   * @param smClockMhz SM clock, MHz
   * @param memClockMhz memory clock, MHz
   * @param temperatureC GPU temperature, degrees Celsius
   * @param powerW power draw, W
   * @param memoryUsedMib device memory in use (every process's), MiB
   * @param throttleReasons the active clock throttle reasons, comma-separated, null when none
   */
  public record Sample(
      long hostNs,
      boolean measured,
      double smClockMhz,
      double memClockMhz,
      double temperatureC,
      double powerW,
      double memoryUsedMib,
      String throttleReasons)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
