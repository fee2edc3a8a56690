package dev.llmsweep.spark;

import dev.llmsweep.engine.Generator;
import dev.llmsweep.probe.GpuTelemetry;
import dev.llmsweep.store.PointEnvironment;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the environment of each point a task runs (executor side): a probe just before the
 * point's first call and one just after its last ({@link EnvironmentProbes}), and on a GPU the
 * device's telemetry in between (stopped before the after-probe, so the probe's own buffers never
 * count in the point's peak memory). When the point before ran on the same device and its
 * after-probe ended at most {@link #SHARE_NANOS} ago (the commit in between), that reading is this
 * point's before-probe too: back-to-back points pay for one probe each, not two. One per task; not
 * thread-safe.
 */
final class EnvironmentWatch {
  /** How old the previous point's after-probe may be to serve as the next point's before-probe. */
  static final long SHARE_NANOS = 1_000_000_000L;

  private final EnvironmentProbes probes;
  private PointEnvironment.Probe last;
  private long lastEndNanos;
  private String lastDevice;

  EnvironmentWatch(EnvironmentProbes probes) {
    this.probes = probes;
  }

  /**
   * Takes (or shares) the before-probe of a point about to run on {@code device} and starts its
   * telemetry.
   */
  Running start(Generator generator, String device, double tolerance) {
    long start = System.nanoTime();
    PointEnvironment.Probe before;
    double probeMs = 0;
    if (last != null && device.equals(lastDevice) && start - lastEndNanos <= SHARE_NANOS) {
      before = last;
    } else {
      before = probes.probe(generator);
      probeMs += before.millis();
    }
    last = null;
    EnvironmentProbes.Telemetry telemetry =
        device.startsWith("gpu:") ? probes.telemetry(device.substring(4)) : null;
    return new Running(generator, device, tolerance, start, before, probeMs, telemetry);
  }

  /** A point between its probes. */
  final class Running {
    private final Generator generator;
    private final String device;
    private final double tolerance;
    private final long startNanos;
    private final PointEnvironment.Probe before;
    private final double beforeMs;
    private final EnvironmentProbes.Telemetry telemetry;

    private Running(
        Generator generator,
        String device,
        double tolerance,
        long startNanos,
        PointEnvironment.Probe before,
        double beforeMs,
        EnvironmentProbes.Telemetry telemetry) {
      this.generator = generator;
      this.device = device;
      this.tolerance = tolerance;
      this.startNanos = startNanos;
      this.before = before;
      this.beforeMs = beforeMs;
      this.telemetry = telemetry;
    }

    /**
     * Stops the telemetry, takes the after-probe and returns the point's environment; samples read
     * between {@code measuredStartNanos} and {@code measuredEndNanos} (plus one sampling interval:
     * a sample describes the interval before it) count as measured.
     */
    PointEnvironment finish(long measuredStartNanos, long measuredEndNanos) {
      List<GpuTelemetry.Sample> raw = telemetry == null ? List.of() : telemetry.stop();
      int others = telemetry == null ? -1 : telemetry.otherProcesses();
      PointEnvironment.Probe after = probes.probe(generator);
      long end = System.nanoTime();
      last = after;
      lastEndNanos = end;
      lastDevice = device;
      long lateBy = GpuTelemetry.SWEEP_INTERVAL_MS * 1_000_000L;
      List<PointEnvironment.Sample> samples = new ArrayList<>(raw.size());
      for (GpuTelemetry.Sample s : raw) {
        boolean measured =
            s.hostNanos() - measuredStartNanos >= 0
                && s.hostNanos() - (measuredEndNanos + lateBy) <= 0;
        samples.add(
            new PointEnvironment.Sample(
                s.hostNanos(),
                measured,
                s.smClockMhz(),
                s.memClockMhz(),
                s.temperatureC(),
                s.powerW(),
                s.memoryUsedMib(),
                s.throttleReasons()));
      }
      String source = samples.isEmpty() ? null : telemetry.source();
      return new PointEnvironment(
          tolerance,
          (end - startNanos) / 1e6,
          beforeMs + after.millis(),
          before,
          after,
          source,
          others,
          samples);
    }

    /** Stops the telemetry of a point that failed; the next point takes its own before-probe. */
    void abandon() {
      if (telemetry != null) {
        telemetry.stop();
      }
    }
  }
}
