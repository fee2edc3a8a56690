package dev.llmsweep.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.function.IntConsumer;

/** Runs one piece of work per thread, all started together, and times them: the benchmarks' roofs. */
final class TimedThreads {
  private TimedThreads() {}

  /** Runs {@code work(0 .. threads - 1)} on as many fresh threads, released together; returns the wall seconds. */
  static double seconds(int threads, IntConsumer work) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    Thread[] all = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int index = t;
      all[t] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        work.accept(index);
      });
      all[t].start();
    }
    start.await();
    long begin = System.nanoTime();
    for (Thread t : all) {
      t.join();
    }
    return (System.nanoTime() - begin) / 1e9;
  }
}
