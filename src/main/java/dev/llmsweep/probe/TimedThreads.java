package dev.llmsweep.probe;

import java.util.concurrent.CyclicBarrier;
import java.util.function.IntConsumer;

/**
 * Runs one piece of work per thread, all started together, and times them: the benchmarks' roofs.
 */
public final class TimedThreads {
  private TimedThreads() {}

  /**
   * Runs {@code work(0 .. threads - 1)} on as many fresh threads, released together; returns the
   * seconds from the first thread's start to the last one's end, as the threads read the clock
   * themselves (the caller may be scheduled after short work has already finished).
   */
  public static double seconds(int threads, IntConsumer work) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    Thread[] all = new Thread[threads];
    long[] begin = new long[threads];
    long[] end = new long[threads];
    for (int t = 0; t < threads; t++) {
      int index = t;
      all[t] =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                begin[index] = System.nanoTime();
                work.accept(index);
                end[index] = System.nanoTime();
              });
      all[t].start();
    }
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int t = 0; t < threads; t++) {
      all[t].join();
      first = Math.min(first, begin[t]);
      last = Math.max(last, end[t]);
    }
    return (last - first) / 1e9;
  }
}
