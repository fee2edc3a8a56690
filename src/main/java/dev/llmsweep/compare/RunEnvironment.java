package dev.llmsweep.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A run's machine as its points' calibration probes measured it (driver side; tests): per probe,
 * the median over the run's points of the mean of the probe before and after the point ({@code
 * run_environment.sql}). Null where no point has the probe: a run written before the probes
 * existed, or a GPU probe on a CPU run.
 *
 * @param run the run id
 * @param readGbps host memory read bandwidth, GB/s
 * @param fmaGflops host FMA rate, GFLOPS
 * @param gpuCopyGbps device copy bandwidth, GB/s
 * @param gpuGemmTflops device fp16 GEMM rate, TFLOPS
 * @param smClockMhz device SM clock during the measured calls
 * @param memClockMhz device memory clock during the measured calls
 * @param cpuFree share of the host's CPU time that neither other processes nor the hypervisor took
 *     while the points ran (1: the run had the machine to itself)
 * @param throttledPoints points whose device reported a throttle reason
 * @param points the run's points
 */
public record RunEnvironment(
    String run,
    Double readGbps,
    Double fmaGflops,
    Double gpuCopyGbps,
    Double gpuGemmTflops,
    Double smClockMhz,
    Double memClockMhz,
    Double cpuFree,
    long throttledPoints,
    long points) {

  /** What a probe measures; every one is a rate: higher means a faster machine. */
  public enum Probe {
    READ_BANDWIDTH("read bandwidth", "GB/s"),
    FMA("FMA", "GFLOPS"),
    GPU_COPY("GPU copy", "GB/s"),
    GPU_GEMM("GPU GEMM", "TFLOPS"),
    SM_CLOCK("SM clock", "MHz"),
    MEMORY_CLOCK("memory clock", "MHz"),
    /**
     * The host's CPU time left to the run by other processes and the hypervisor: unlike the rates,
     * a fall means the run shared its cores, which slows a parallel engine by more than the share
     * (a descheduled thread stalls every step at its barrier), so a figure's slowdown cannot be
     * divided by it ({@link EnvironmentChange#contended()}).
     */
    CPU_FREE("CPU free", "%");

    private final String label;
    private final String unit;

    Probe(String label, String unit) {
      this.label = label;
      this.unit = unit;
    }

    public String label() {
      return label;
    }

    public String unit() {
      return unit;
    }

    /** A value with its unit, e.g. {@code 27.1 GB/s}; a share as a percentage ({@code 97%}). */
    public String format(double x) {
      return this == CPU_FREE
          ? String.format(Locale.ROOT, "%.0f%%", 100 * x)
          : String.format(Locale.ROOT, "%.3g %s", x, unit);
    }
  }

  /** A run without any probe (e.g. written before the probes existed). */
  public static RunEnvironment unknown(String run) {
    return new RunEnvironment(run, null, null, null, null, null, null, null, 0, 0);
  }

  /** The probe's value, null when the run has none. */
  public Double value(Probe p) {
    return switch (p) {
      case READ_BANDWIDTH -> readGbps;
      case FMA -> fmaGflops;
      case GPU_COPY -> gpuCopyGbps;
      case GPU_GEMM -> gpuGemmTflops;
      case SM_CLOCK -> smClockMhz;
      case MEMORY_CLOCK -> memClockMhz;
      case CPU_FREE -> cpuFree;
    };
  }

  /** Whether any probe was measured. */
  public boolean measured() {
    return Arrays.stream(Probe.values()).anyMatch(p -> value(p) != null);
  }

  /**
   * The typical environment of several baseline runs: per probe, the median of the runs' values
   * (runs without it left out); throttled points summed.
   */
  public static RunEnvironment median(String label, List<RunEnvironment> runs) {
    Double[] v = new Double[Probe.values().length];
    for (Probe p : Probe.values()) {
      double[] xs =
          runs.stream()
              .map(r -> r.value(p))
              .filter(x -> x != null)
              .mapToDouble(Double::doubleValue)
              .sorted()
              .toArray();
      v[p.ordinal()] = xs.length == 0 ? null : Bootstrap.quantile(xs, 0.5);
    }
    return new RunEnvironment(
        label,
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        runs.stream().mapToLong(RunEnvironment::throttledPoints).sum(),
        runs.stream().mapToLong(RunEnvironment::points).sum());
  }

  /** e.g. {@code read bandwidth 27.1 GB/s, FMA 310 GFLOPS}; {@code no probes} without any. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Probe p : Probe.values()) {
      Double x = value(p);
      if (x != null) {
        b.append(b.length() == 0 ? "" : ", ").append(p.label()).append(' ').append(p.format(x));
      }
    }
    if (throttledPoints > 0) {
      b.append(", ").append(throttledPoints).append(" throttled point(s)");
    }
    return b.length() == 0 ? "no probes" : b.toString();
  }
}
