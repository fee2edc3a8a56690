package dev.llmsweep.bench;

import dev.llmsweep.probe.TimedThreads;

/**
 * Measures the machine's memory copy bandwidth the way STREAM's "copy" kernel reports it: bytes
 * read plus bytes written per second, over buffers far larger than the caches, with one thread per
 * core (as many as PyTorch's intra-op pool uses).
 */
public final class CopyBandwidth {
  private CopyBandwidth() {}

  /**
   * Prints the machine's copy bandwidth (256 MB, best of 3, one thread per core): the probe beside
   * a timing.
   */
  public static void main(String[] args) throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        java.util.Locale.ROOT,
        "%.2f GB/s (STREAM copy convention, %d threads)%n",
        measure(256, 3, threads) / 1e9,
        threads);
  }

  /** Best of {@code rounds} copies of {@code megabytes} MB, in bytes per second. */
  public static double measure(int megabytes, int rounds, int threads) throws Exception {
    int n = megabytes * (1 << 20) / 8;
    long[] src = new long[n];
    long[] dst = new long[n];
    for (int i = 0; i < n; i++) {
      src[i] = i;
    }
    double best = 0;
    for (int r = 0; r < rounds + 1; r++) {
      double seconds =
          TimedThreads.seconds(
              threads,
              t -> {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                System.arraycopy(src, from, dst, from, to - from);
              });
      if (r > 0) { // the first round pages the destination in
        best = Math.max(best, 2.0 * n * 8 / seconds);
      }
    }
    if (dst[n - 1] != src[n - 1]) {
      throw new IllegalStateException("copy did not complete");
    }
    return best;
  }
}
