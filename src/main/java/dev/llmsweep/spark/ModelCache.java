package dev.llmsweep.spark;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.JitScope;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The executor's loaded models, one per device, per JVM (executor side). A model is keyed by
 * (model, dtype, device), loaded by the first task that needs it and reused by later tasks. A task
 * holds its device's lease while it runs a point, so it has exclusive use of the device (and of the
 * generator, which is not thread-safe); a different model for the same device replaces the loaded
 * one, so two models never share a device. A point that fails with an out-of-memory or device error
 * discards its model ({@link Lease#discardModel}). Closed at JVM shutdown.
 */
public final class ModelCache {
  private static final Map<String, Slot> SLOTS = new HashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    JitScope.apply(); // an executor's first model: its own code on C2, Spark's on C1
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ModelCache::closeAll, "llm-sweep-model-cache-close"));
  }

  private ModelCache() {}

  /** What a model is loaded as. */
  public record Key(String model, String dtype, String device) {}

  /** A device held by one task: its generator, and whether this lease loaded it. */
  public static final class Lease implements AutoCloseable {
    private final Slot slot;
    private final boolean loaded;
    private final long loadNanos;

    private Lease(Slot slot, boolean loaded, long loadNanos) {
      this.slot = slot;
      this.loaded = loaded;
      this.loadNanos = loadNanos;
    }

    public Generator generator() {
      return slot.generator;
    }

    /** True when this lease loaded the model (the first use in this JVM). */
    public boolean loadedModel() {
      return loaded;
    }

    public long loadNanos() {
      return loadNanos;
    }

    /** The shapes the loaded model has been warmed with (held by this lease: not thread-safe). */
    java.util.Set<ModelWarmup.Shape> warmedShapes() {
      return slot.warmed;
    }

    /**
     * Closes the model and empties the device's slot (while this lease still holds it), so its
     * memory is freed: after an out-of-memory or device error the model's state is not trusted, and
     * the next point reloads it.
     */
    public void discardModel() {
      if (slot.generator != null) {
        try {
          slot.generator.close();
        } finally {
          slot.generator = null;
          slot.key = null;
          slot.warmed.clear();
        }
      }
    }

    @Override
    public void close() {
      slot.lock.unlock();
    }
  }

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock(true);
    Key key;
    String maker;
    Generator generator;

    /**
     * Shapes the loaded generator was warmed with ({@link ModelWarmup}); emptied with each load.
     */
    final java.util.Set<ModelWarmup.Shape> warmed = new java.util.HashSet<>();
  }

  /** Makes the generator of a key when the device does not hold it yet. */
  @FunctionalInterface
  public interface Loader {
    Generator load();
  }

  /**
   * Takes the device (waiting for a task that holds it) and returns the model loaded on it by this
   * factory. A generator another factory made for the same key is replaced: a JVM that runs sweeps
   * with different engines one after the other (the test JVMs, reused from class to class) must not
   * hand one sweep the engine of the one before.
   */
  public static Lease acquire(Key key, GeneratorFactory factory) {
    return acquire(
        key,
        factory.getClass().getName(),
        () -> factory.load(key.model(), ComputeDevice.parse(key.device(), key.dtype())));
  }

  /**
   * Takes the device and returns the generator held for {@code key}, made by {@code loader} when
   * the device holds none or another (an endpoint's client, or the server it started).
   */
  public static Lease acquire(Key key, Loader loader) {
    return acquire(key, "", loader);
  }

  private static Lease acquire(Key key, String maker, Loader loader) {
    Slot slot;
    synchronized (SLOTS) {
      slot = SLOTS.computeIfAbsent(key.device(), d -> new Slot());
    }
    slot.lock.lock();
    try {
      if (key.equals(slot.key) && maker.equals(slot.maker)) {
        return new Lease(slot, false, 0);
      }
      if (slot.generator != null) {
        slot.generator.close();
        slot.generator = null;
        slot.key = null;
        slot.maker = null;
      }
      slot.warmed.clear();
      long start = System.nanoTime();
      slot.generator = loader.load();
      slot.key = key;
      slot.maker = maker;
      LOADS.incrementAndGet();
      return new Lease(slot, true, System.nanoTime() - start);
    } catch (RuntimeException | Error e) {
      slot.lock.unlock();
      throw e;
    }
  }

  /** Models loaded by this JVM so far. */
  public static int loads() {
    return LOADS.get();
  }

  static void closeAll() {
    synchronized (SLOTS) {
      for (Slot s : SLOTS.values()) {
        if (s.lock.tryLock()) {
          try {
            if (s.generator != null) {
              s.generator.close();
              s.generator = null;
              s.key = null;
            }
          } finally {
            s.lock.unlock();
          }
        }
      }
    }
  }
}
