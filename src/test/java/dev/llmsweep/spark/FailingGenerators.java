package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.TokenListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake engine of {@link FakeGenerators} with an injected failure, loaded through the {@code
 * spark.llmsweep.generatorFactory} hook (tests in local mode, where the executor is this JVM, so
 * the counters below are visible to the test): while {@link #FAIL_BATCH} is set, a batch of that
 * size throws what PyTorch throws when a CUDA allocation fails. Counts loads and closes, so a test
 * can see the failed model being discarded and reloaded.
 */
public final class FailingGenerators implements GeneratorFactory {
  /** The batch size that fails; 0: none. */
  public static final AtomicInteger FAIL_BATCH = new AtomicInteger();

  static final AtomicInteger LOADS = new AtomicInteger();
  static final AtomicInteger CLOSES = new AtomicInteger();
  static final String OOM =
      "CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 79.11 GiB total capacity)";

  @Override
  public Generator load(String model, ComputeDevice device) {
    LOADS.incrementAndGet();
    return new Failing(model, device);
  }

  private static final class Failing extends FakeGenerators.Fake {
    Failing(String model, ComputeDevice device) {
      super(model, device);
    }

    @Override
    public BatchOutput generate(GenerationRequest request, TokenListener listener) {
      if (request.batchSize() == FAIL_BATCH.get()) {
        throw new RuntimeException("engine call failed", new IllegalStateException(OOM));
      }
      return super.generate(request, listener);
    }

    @Override
    public void close() {
      CLOSES.incrementAndGet();
      super.close();
    }
  }
}
