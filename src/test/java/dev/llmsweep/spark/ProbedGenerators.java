package dev.llmsweep.spark;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.probe.GpuTelemetry;
import dev.llmsweep.store.PointEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToDoubleFunction;

/**
 * The fake engine ({@link FakeGenerators}: tests of Spark plumbing only) with calibration probes
 * that read what the test says instead of measuring: the host read bandwidth of the n-th probe of
 * this JVM is {@code READ_GBPS.applyAsDouble(n)}, everything else fixed; a GPU point's telemetry is
 * a 500 W, 1980 MHz, power-capped device sampled every millisecond while the point runs, plus one
 * sample from before it started (50 W, 9000 MiB: in the point's peak memory, in none of its means
 * over the measured calls). The readings enter the results exactly as real ones would, which is
 * what the tests of {@code env_changed} and the GPU columns are about.
 */
public final class ProbedGenerators implements GeneratorFactory {
  /** Host read bandwidth (GB/s) of the n-th probe (0-based), counted over this JVM. */
  public static volatile IntToDoubleFunction READ_GBPS = n -> 10.0;

  static final AtomicInteger PROBES = new AtomicInteger();

  @Override
  public Generator load(String model, ComputeDevice device) {
    return new FakeGenerators().load(model, device);
  }

  @Override
  public JitClock jitClock() {
    return JitClock.NONE;
  }

  @Override
  public EnvironmentProbes probes() {
    return new EnvironmentProbes() {
      @Override
      public PointEnvironment.Probe probe(Generator generator) {
        boolean gpu = generator.info().device().startsWith("gpu");
        return new PointEnvironment.Probe(
            READ_GBPS.applyAsDouble(PROBES.getAndIncrement()),
            100,
            gpu ? 3000 : Double.NaN,
            gpu ? 600 : Double.NaN,
            2.0);
      }

      @Override
      public Telemetry telemetry(String address) {
        long start = System.nanoTime();
        return new Telemetry() {
          @Override
          public String source() {
            return "nvidia-smi";
          }

          @Override
          public List<GpuTelemetry.Sample> stop() {
            List<GpuTelemetry.Sample> out = new ArrayList<>();
            out.add(new GpuTelemetry.Sample(start - 1_000_000_000L, 345, 2619, 35, 50, 9000, null));
            for (long t = start; t - System.nanoTime() < 0; t += 1_000_000) {
              out.add(new GpuTelemetry.Sample(t, 1980, 2619, 70, 500, 4096, "sw_power_cap"));
            }
            return out;
          }

          @Override
          public int otherProcesses() {
            return 1;
          }
        };
      }
    };
  }
}
