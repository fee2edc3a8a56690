package dev.llmsweep.model;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The threads of the CPU kernels ({@link HostMatmul}, {@link HostAttention}): one per core, the
 * calling thread included. A kernel splits its work into parts and waits for all of them.
 */
final class HostThreads {
  static final int COUNT = Runtime.getRuntime().availableProcessors();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, COUNT - 1), r -> {
    Thread t = new Thread(r, "llm-sweep-kernel");
    t.setDaemon(true);
    return t;
  });

  private HostThreads() {}

  /** Runs {@code part.accept(0 .. parts - 1)}, part 0 on the calling thread, and returns when all are done. */
  static void run(int parts, IntConsumer part) {
    Future<?>[] pending = new Future<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int index = p;
      pending[p - 1] = POOL.submit(() -> part.accept(index));
    }
    part.accept(0);
    try {
      for (Future<?> f : pending) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a CPU kernel", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("CPU kernel failed", e.getCause());
    }
  }
}
