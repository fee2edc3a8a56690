package dev.llmsweep.spark;

import dev.llmsweep.engine.Generator;
import dev.llmsweep.probe.GpuTelemetry;
import dev.llmsweep.probe.HostCpu;
import dev.llmsweep.store.PointEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the environment of each point a task runs (executor side): a probe just before the
 * point's first call and one just after its last ({@link EnvironmentProbes}), and on a GPU the
 * device's telemetry in between (stopped before the after-probe, so the probe's own buffers never
 * count in the point's peak memory). When the point before ran on the same device of this executor
 * (in this task or an earlier one: each point is a task of its own) and its after-probe ended at
 * most {@link #SHARE_NANOS} ago (the commit in between), that reading is this point's before-probe
 * too: back-to-back points pay for one probe each, not two. One per task; not thread-safe.
 */
final class EnvironmentWatch {
  /**
   * How old the previous point's after-probe may be to serve as the next point's before-probe: 10
   * s, longer than a point's commit. A fresh probe just after the commit read the host's bandwidth
   * a third lower than the after-probes did (median 20 against 30 GB/s over a quickstart on the
   * 2-core EPYC VM, with 1 s: the commit's allocations and writes still settling), so its points
   * read as changed; two after-probes are taken in the same state, just after measured calls.
   */
  static final long SHARE_NANOS = 10_000_000_000L;

  /**
   * The latest after-probe of each device of this executor, with the probes that took it (shared
   * only with a point measured by the same probes: tests hand each task probes of their own). One
   * entry per device, however many tasks ran.
   */
  private static final Map<String, Reading> LAST = new ConcurrentHashMap<>();

  private record Reading(EnvironmentProbes probes, PointEnvironment.Probe probe, long endNanos) {}

  private final EnvironmentProbes probes;

  EnvironmentWatch(EnvironmentProbes probes) {
    this.probes = probes;
  }

  /**
   * Takes (or shares) the before-probe of a point about to run on {@code device} and starts its
   * telemetry.
   */
  Running start(Generator generator, String device, double tolerance) {
    long start = System.nanoTime();
    HostCpu.Snapshot cpu = probes.cpu();
    PointEnvironment.Probe before;
    double probeMs = 0;
    Reading last = LAST.remove(device);
    if (last != null && last.probes() == probes && start - last.endNanos() <= SHARE_NANOS) {
      before = last.probe();
    } else {
      before = probes.probe(generator);
      probeMs += before.millis();
    }
    EnvironmentProbes.Telemetry telemetry =
        device.startsWith("gpu:") ? probes.telemetry(device.substring(4)) : null;
    return new Running(generator, device, tolerance, start, cpu, before, probeMs, telemetry);
  }

  /** A point between its probes. */
  final class Running {
    private final Generator generator;
    private final String device;
    private final double tolerance;
    private final long startNanos;
    private final HostCpu.Snapshot cpu;
    private final PointEnvironment.Probe before;
    private final double beforeMs;
    private final EnvironmentProbes.Telemetry telemetry;

    private Running(
        Generator generator,
        String device,
        double tolerance,
        long startNanos,
        HostCpu.Snapshot cpu,
        PointEnvironment.Probe before,
        double beforeMs,
        EnvironmentProbes.Telemetry telemetry) {
      this.generator = generator;
      this.device = device;
      this.tolerance = tolerance;
      this.startNanos = startNanos;
      this.cpu = cpu;
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
      // before the after-probe: its threads would add nothing to others' share but dilute it
      HostCpu.Share share = HostCpu.between(cpu, probes.cpu());
      PointEnvironment.Probe after = probes.probe(generator);
      long end = System.nanoTime();
      LAST.put(device, new Reading(probes, after, end));
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
          share.others(),
          share.steal(),
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
