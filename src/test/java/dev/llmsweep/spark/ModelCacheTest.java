package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.ModelInfo;
import dev.llmsweep.engine.TokenListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The executor's model cache, with a recording fake loader (the cache's bookkeeping is the subject,
 * not the engine): one load per (model, dtype, device) and factory, a different model replaces the
 * loaded one on that device (closing it first), and a device is held by one task at a time.
 */
class ModelCacheTest {
  /** Records loads and closes; its generators do nothing. */
  static final class Recording implements GeneratorFactory {
    final List<String> events = new ArrayList<>();

    @Override
    public Generator load(String model, ComputeDevice device) {
      events.add("load " + model + "@" + device.name());
      ModelInfo info = new ModelInfo(model, "fake", 0, 0, 64, 16, device.name(), device.dtype());
      return new Generator() {
        @Override
        public ModelInfo info() {
          return info;
        }

        @Override
        public BatchOutput generate(GenerationRequest request, TokenListener listener) {
          throw new UnsupportedOperationException();
        }

        @Override
        public int[] encode(String text) {
          return new int[0];
        }

        @Override
        public String decode(int[] ids) {
          return "";
        }

        @Override
        public boolean hasTokenizer() {
          return false;
        }

        @Override
        public void close() {
          events.add("close " + model + "@" + device.name());
        }
      };
    }
  }

  @Test
  void loadsOncePerKeyAndNeverHoldsTwoModelsOnOneDevice() {
    Recording f = new Recording();
    ModelCache.Key a = new ModelCache.Key("cache-test-a", "float16", "gpu:7");
    ModelCache.Key b = new ModelCache.Key("cache-test-b", "float16", "gpu:7");
    Generator first;
    try (ModelCache.Lease l = ModelCache.acquire(a, f)) {
      assertTrue(l.loadedModel());
      first = l.generator();
    }
    try (ModelCache.Lease l = ModelCache.acquire(a, f)) {
      assertFalse(l.loadedModel(), "reused");
      assertSame(first, l.generator());
    }
    try (ModelCache.Lease l = ModelCache.acquire(b, f)) {
      assertTrue(l.loadedModel());
    }
    assertEquals(
        List.of("load cache-test-a@gpu:7", "close cache-test-a@gpu:7", "load cache-test-b@gpu:7"),
        f.events,
        "the old model is closed before the new one loads on the same device");
  }

  /** Another engine for the same models (as a test class with its own fake engine). */
  static final class OtherEngine implements GeneratorFactory {
    final Recording recording = new Recording();

    @Override
    public Generator load(String model, ComputeDevice device) {
      return recording.load(model, device);
    }
  }

  @Test
  void aModelAnotherFactoryLoadedIsReplacedNotHandedOut() {
    // a JVM that runs one sweep with one engine, then another sweep with another engine for the
    // same model (the reused test JVMs) must give the second sweep its own engine
    Recording f = new Recording();
    OtherEngine g = new OtherEngine();
    ModelCache.Key key = new ModelCache.Key("cache-test-c", "float32", "gpu:6");
    Generator first;
    try (ModelCache.Lease l = ModelCache.acquire(key, f)) {
      first = l.generator();
    }
    try (ModelCache.Lease l = ModelCache.acquire(key, g)) {
      assertTrue(l.loadedModel(), "loaded by the other factory");
      assertNotSame(first, l.generator(), "not the first factory's generator");
    }
    assertEquals(List.of("load cache-test-c@gpu:6", "close cache-test-c@gpu:6"), f.events);
    assertEquals(List.of("load cache-test-c@gpu:6"), g.recording.events);
  }

  @Test
  void aDeviceIsHeldByOneTaskAtATime() throws Exception {
    Recording f = new Recording();
    ModelCache.Key key = new ModelCache.Key("cache-test-c", "float16", "gpu:8");
    CountDownLatch held = new CountDownLatch(1);
    AtomicBoolean secondGotIt = new AtomicBoolean();
    Thread other;
    try (ModelCache.Lease l = ModelCache.acquire(key, f)) {
      other =
          new Thread(
              () -> {
                held.countDown();
                try (ModelCache.Lease l2 = ModelCache.acquire(key, f)) {
                  secondGotIt.set(true);
                }
              });
      other.start();
      held.await();
      Thread.sleep(200);
      assertFalse(secondGotIt.get(), "a second task waits while the device is leased");
    }
    other.join(5000);
    assertTrue(secondGotIt.get(), "and gets it once released");
  }
}
