package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.TokenListener;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake engine for tests of the statistics of whole runs (not of the engine): it computes nothing
 * and never sleeps, and times each call by drawing from one fixed distribution with the clustering
 * of the real engine's static batches: a prefill and a speed factor shared by every request of the
 * call (its requests share every step's timestamp, as on the real engine), per-step jitter, and an
 * occasional slow step (a scheduler or GC pause). Runs made with different {@link #RUN_SEED}s are
 * independent draws of the same engine on the same machine, whatever the machine's load: an A/A
 * pair. Loaded through {@code spark.llmsweep.generatorFactory} in local mode.
 */
public final class NoisyGenerators implements GeneratorFactory {
  /** Seeds every call's draw together with the call's shape and number; set before each run. */
  public static final AtomicLong RUN_SEED = new AtomicLong(1);

  @Override
  public Generator load(String model, ComputeDevice device) {
    return new Noisy(model, device);
  }

  private static final class Noisy extends FakeEngine {
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();

    Noisy(String model, ComputeDevice device) {
      super(model, "noisy", device);
    }

    @Override
    public BatchOutput generate(GenerationRequest request, TokenListener listener) {
      int batch = request.batchSize();
      var sp = request.sampling();
      String key =
          batch
              + "/"
              + request.maxTokens()
              + "/"
              + sp.temperature()
              + "/"
              + sp.topP()
              + "/"
              + sp.topK();
      int n = calls.merge(key, 1, Integer::sum) - 1;
      SplittableRandom rng =
          new SplittableRandom(RUN_SEED.get() * 1_000_003L + key.hashCode() * 31L + n);
      double callFactor =
          Math.exp(0.10 * gaussian(rng)); // the call's speed, shared by its requests
      double prefillMs = 0.3 * (1 + batch / 16.0) * Math.exp(0.15 * gaussian(rng));
      double stepMs = 0.05 * (1 + batch / 8.0) * callFactor;
      long submit = System.nanoTime();
      long[] t = {submit + (long) (prefillMs * 1e6)};
      long[] steps =
          steps(
              request,
              listener,
              s -> {
                if (s > 0) {
                  double jitter =
                      Math.exp(0.05 * gaussian(rng)) * (rng.nextDouble() < 0.02 ? 5 : 1);
                  t[0] += (long) (stepMs * jitter * 1e6);
                }
                return t[0];
              });
      return output(request, submit, steps, steps[steps.length - 1] + 20_000);
    }

    private static double gaussian(SplittableRandom rng) {
      double u = rng.nextDouble();
      double v = rng.nextDouble();
      return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
  }
}
