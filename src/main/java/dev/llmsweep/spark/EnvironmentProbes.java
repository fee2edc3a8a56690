package dev.llmsweep.spark;

import dev.llmsweep.engine.DeviceProbe;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.probe.GpuTelemetry;
import dev.llmsweep.probe.HostCpu;
import dev.llmsweep.probe.HostProbe;
import dev.llmsweep.store.PointEnvironment;
import java.util.List;

/**
 * The calibration probes and device telemetry an executor takes around each point (executor side):
 * {@link #REAL} measures ({@link HostProbe}, {@link DeviceProbe}, {@link GpuTelemetry}); a {@link
 * GeneratorFactory} may hand out others, which tests use to feed chosen readings.
 */
public interface EnvironmentProbes {

  /** One reading of the host, and of the generator's GPU when it has one (NaN otherwise). */
  PointEnvironment.Probe probe(Generator generator);

  /**
   * The host's CPU counters now ({@link HostCpu}), null where they cannot be read; the shares
   * between a point's first and last reading say who else used the CPUs meanwhile.
   */
  default HostCpu.Snapshot cpu() {
    return HostCpu.read();
  }

  /** Starts sampling the telemetry of GPU {@code address}; null when it cannot be sampled. */
  Telemetry telemetry(String address);

  /** A device's telemetry while a point runs. */
  interface Telemetry {
    /** {@code nvidia-smi} or {@code nvml}. */
    String source();

    /** Stops sampling and returns the samples, oldest first. */
    List<GpuTelemetry.Sample> stop();

    /** Processes other than this executor's on the device; -1 when unknown. */
    int otherProcesses();
  }

  /** The real probes. */
  EnvironmentProbes REAL =
      new EnvironmentProbes() {
        @Override
        public PointEnvironment.Probe probe(Generator generator) {
          long start = System.nanoTime();
          HostProbe.Reading host = HostProbe.measure();
          DeviceProbe.Reading device = DeviceProbe.measure(generator);
          return new PointEnvironment.Probe(
              host.readGbps(),
              host.fmaGflops(),
              device == null ? Double.NaN : device.copyGbps(),
              device == null ? Double.NaN : device.gemmTflops(),
              (System.nanoTime() - start) / 1e6);
        }

        @Override
        public Telemetry telemetry(String address) {
          GpuTelemetry t = GpuTelemetry.start(address, GpuTelemetry.SWEEP_INTERVAL_MS);
          if (t == null) {
            return null;
          }
          int before = GpuTelemetry.otherProcesses(address);
          return new Telemetry() {
            @Override
            public String source() {
              return "nvidia-smi";
            }

            @Override
            public List<GpuTelemetry.Sample> stop() {
              t.close();
              return t.samples();
            }

            @Override
            public int otherProcesses() {
              return Math.max(before, GpuTelemetry.otherProcesses(address));
            }
          };
        }
      };
}
