package dev.llmsweep.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The environment of one attempt of a run, for its manifest: the spread of each probe's readings
 * over the attempt's points (before and after each), the probes' cost and how many points saw their
 * environment change (driver side, from the points' reports).
 *
 * @param readGbps host memory read bandwidth, GB/s; null when not measured
 * @param fmaGflops host FMA rate, GFLOPS
 * @param gpuCopyGbps device copy bandwidth, GB/s; null off the GPU
 * @param gpuGemmTflops float16 GEMM rate, TFLOPS; null off the GPU
 * @param probeMs time spent in the probes, summed over the attempt's points
 * @param pointMs the points' own time (probes, warm-ups and measured calls), summed
 * @param probeShare probeMs / pointMs: the probes' overhead
 * @param points points that ran probes
 * @param pointsEnvChanged of them, points whose before and after readings differ beyond their
 *     tolerance
 */
public record AttemptEnvironment(
    Spread readGbps,
    Spread fmaGflops,
    Spread gpuCopyGbps,
    Spread gpuGemmTflops,
    double probeMs,
    double pointMs,
    double probeShare,
    int points,
    int pointsEnvChanged) {

  /** The median, least and greatest of a probe's readings. */
  public record Spread(double median, double min, double max) {
    static Spread of(double[] values) {
      double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
      if (v.length == 0) {
        return null;
      }
      int n = v.length;
      return new Spread(n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1]);
    }
  }

  /** The figures of these points' environments; null when none ran probes. */
  public static AttemptEnvironment of(List<PointEnvironment> environments) {
    if (environments.isEmpty()) {
      return null;
    }
    double probe = environments.stream().mapToDouble(PointEnvironment::probeMs).sum();
    double point = environments.stream().mapToDouble(PointEnvironment::pointMs).sum();
    double[] resolutions = resolutions(environments);
    int changed = (int) environments.stream().filter(e -> changed(e, resolutions)).count();
    return new AttemptEnvironment(
        spread(environments, PointEnvironment.Probe::readGbps),
        spread(environments, PointEnvironment.Probe::fmaGflops),
        spread(environments, PointEnvironment.Probe::gpuCopyGbps),
        spread(environments, PointEnvironment.Probe::gpuGemmTflops),
        probe,
        point,
        point > 0 ? probe / point : 0,
        environments.size(),
        changed);
  }

  private static Spread spread(
      List<PointEnvironment> environments, ToDoubleFunction<PointEnvironment.Probe> figure) {
    List<Double> values = new ArrayList<>();
    for (PointEnvironment e : environments) {
      values.add(figure.applyAsDouble(e.before()));
      values.add(figure.applyAsDouble(e.after()));
    }
    return Spread.of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The four probes, in the order of {@link #changed}'s resolutions. */
  private static final List<ToDoubleFunction<PointEnvironment.Probe>> PROBES =
      List.of(
          PointEnvironment.Probe::readGbps,
          PointEnvironment.Probe::fmaGflops,
          PointEnvironment.Probe::gpuCopyGbps,
          PointEnvironment.Probe::gpuGemmTflops);

  /** Each probe's resolution over these points ({@link #noise}), in the order of PROBES. */
  static double[] resolutions(List<PointEnvironment> all) {
    return PROBES.stream().mapToDouble(p -> noise(all, p)).toArray();
  }

  /**
   * Whether a point's before and after readings of any probe differ by more than its tolerance and
   * more than the probe's resolution over the attempt's points ({@link #resolutions}), either way:
   * the rule of the {@code points} table's {@code env_changed} (points.sql, where the resolution is
   * the run's).
   */
  static boolean changed(PointEnvironment e, double[] resolutions) {
    for (int i = 0; i < PROBES.size(); i++) {
      ToDoubleFunction<PointEnvironment.Probe> figure = PROBES.get(i);
      double change = change(figure.applyAsDouble(e.before()), figure.applyAsDouble(e.after()));
      if (change > Math.max(e.tolerance(), resolutions[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * A probe's resolution over these points: exp(4.9 x the median |ln(after / before)|) - 1, what
   * at-rest reading noise stays below but once in a thousand (points.sql says why); 0 with fewer
   * than 3 points that have both readings.
   */
  static double noise(List<PointEnvironment> all, ToDoubleFunction<PointEnvironment.Probe> figure) {
    double[] d =
        all.stream()
            .mapToDouble(
                e ->
                    Math.abs(
                        Math.log(
                            figure.applyAsDouble(e.after()) / figure.applyAsDouble(e.before()))))
            .filter(x -> !Double.isNaN(x) && !Double.isInfinite(x))
            .sorted()
            .toArray();
    if (d.length < 3) {
      return 0;
    }
    int n = d.length;
    double median = n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    return Math.exp(4.9 * median) - 1;
  }

  private static double change(double before, double after) {
    if (!(before > 0) || !(after > 0)) {
      return 0;
    }
    return Math.max(before / after, after / before) - 1;
  }
}
