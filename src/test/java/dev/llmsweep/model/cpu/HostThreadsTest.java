package dev.llmsweep.model.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The CPU kernels' threads: every part runs once, failures reach the caller, callers may race. */
class HostThreadsTest {

  @Test
  void everyPartRunsExactlyOnceEvenWithMorePartsThanThreads() {
    for (int parts : new int[] {1, 2, HostThreads.COUNT + 3}) {
      AtomicIntegerArray runs = new AtomicIntegerArray(parts);
      HostThreads.run(parts, runs::incrementAndGet);
      for (int p = 0; p < parts; p++) {
        assertEquals(1, runs.get(p), "part " + p + " of " + parts);
      }
    }
  }

  @Test
  void aFailingPartFailsTheCallAndTheThreadsStayUsable() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                HostThreads.run(
                    2,
                    p -> {
                      if (p == 1) {
                        throw new ArithmeticException("part 1 broke");
                      }
                    }));
    assertEquals("part 1 broke", rootCause(e).getMessage());
    AtomicIntegerArray runs = new AtomicIntegerArray(2);
    HostThreads.run(2, runs::incrementAndGet);
    assertEquals(1, runs.get(0));
    assertEquals(1, runs.get(1));
  }

  @Test
  void concurrentCallersEachGetTheirOwnProduct() throws Exception {
    int out = 512;
    int in = 384;
    int rows = 8;
    SplittableRandom rng = new SplittableRandom(7);
    float[] w = new float[out * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    HostMatmul matmul = new HostMatmul(w, out, in);
    List<float[]> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      float[] x = new float[rows * in];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rng.nextGaussian();
      }
      inputs.add(x);
      expected.add(matmul.multiply(x, rows));
    }
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int caller = c;
        Callable<Boolean> task =
            () -> {
              for (int repeat = 0; repeat < 200; repeat++) {
                assertArrayEquals(expected.get(caller), matmul.multiply(inputs.get(caller), rows));
              }
              return true;
            };
        results.add(callers.submit(task));
      }
      for (Future<Boolean> f : results) {
        f.get();
      }
    } finally {
      callers.shutdownNow();
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
