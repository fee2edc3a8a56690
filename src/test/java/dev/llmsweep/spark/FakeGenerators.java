package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.TokenListener;
import java.util.concurrent.locks.LockSupport;

/**
 * A fake engine for tests of Spark plumbing only (GPU addresses on machines without GPUs): it
 * "loads" onto any device, including fake GPUs, and emits one token per ~1 ms step without
 * computing anything. Tests of measurements use the real tiny model instead.
 */
public final class FakeGenerators implements GeneratorFactory {
  @Override
  public Generator load(String model, ComputeDevice device) {
    return new Fake(model, device);
  }

  /** One token per ~1 ms of sleep. */
  static class Fake extends FakeEngine {
    Fake(String model, ComputeDevice device) {
      super(model, "fake", device);
    }

    @Override
    public BatchOutput generate(GenerationRequest request, TokenListener listener) {
      long submit = System.nanoTime();
      long[] steps =
          steps(
              request,
              listener,
              s -> {
                LockSupport.parkNanos(1_000_000);
                return System.nanoTime();
              });
      return output(request, submit, steps, System.nanoTime());
    }
  }
}
