package dev.llmsweep.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's calibration probe, run by each executor before and after every point: memory read
 * bandwidth and the FMA rate, with {@link Roofline}'s kernels (the engine benchmark's roofs) cut
 * down to a few milliseconds each, so that a point pays at most about 2% of its time for them.
 * Figures from one JVM are comparable with each other: same buffer, same threads, same compiled
 * kernels. The read buffer is a quarter larger than the last-level cache (a cyclic scan of more
 * than the cache misses it throughout: the sums come from memory), 16 to 128 MB, allocated once per
 * JVM.
 */
public final class HostProbe {
  /** FMA loop iterations per thread and round: about 0.5-1 ms on an AVX2/AVX-512 core. */
  static final long FMA_ITERATIONS = 100_000;

  /**
   * Measured rounds of each kernel (the best counts): a single round is at the mercy of one
   * interruption.
   */
  static final int ROUNDS = 2;

  private static final java.util.concurrent.atomic.AtomicBoolean PREWARMED =
      new java.util.concurrent.atomic.AtomicBoolean();
  private static final boolean AVAILABLE = available();
  private static float[] buffer;
  private static boolean warm;

  private HostProbe() {}

  /**
   * One probe reading.
   *
   * @param readGbps memory read bandwidth, GB/s (10^9 bytes per second)
   * @param fmaGflops float32 FMA rate, GFLOPS
   * @param millis what the probe took
   */
  public record Reading(double readGbps, double fmaGflops, double millis) {}

  /**
   * Allocates the buffer and compiles the kernels in a background thread, once per JVM: the
   * executor calls it when its task starts, so the work overlaps the model's load and warm-up
   * instead of the first point's probe (which waits for it when it has not finished).
   */
  public static void prewarm() {
    if (!AVAILABLE || !PREWARMED.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              synchronized (HostProbe.class) {
                try {
                  ready(Runtime.getRuntime().availableProcessors());
                } catch (Exception | OutOfMemoryError e) {
                  // only a warm-up: the first probe reports any real problem
                }
              }
            },
            "llm-sweep-probe-prewarm");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits for (or does) this JVM's one-time warm-up of the probe: the executor calls it with the
   * model's warm-up, outside every point's time, as the compiled kernels are the model's.
   */
  public static synchronized void warmUp() {
    if (!AVAILABLE) {
      return;
    }
    try {
      ready(Runtime.getRuntime().availableProcessors());
    } catch (Exception e) {
      throw new IllegalStateException("the host probe's warm-up failed: " + e, e);
    }
  }

  private static void ready(int threads) throws Exception {
    if (buffer == null) {
      buffer = Roofline.filled(bufferMegabytes());
    }
    if (!warm) {
      warmUp(threads);
    }
  }

  /**
   * Whether this JVM runs the kernels as vector code: the vector module is there and the optimising
   * compiler is not switched off ({@code -XX:TieredStopAtLevel} below 4, {@code -Xint}). Without it
   * a probe would take seconds and read a hundredth of the machine: it reads nothing instead.
   */
  public static boolean available() {
    if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      return false;
    }
    for (String arg :
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.equals("-Xint")
          || (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Measures both roofs with one thread per core; compiles the kernels first in a fresh JVM. NaN
   * figures when the kernels cannot run as vector code here ({@link #available}).
   */
  public static synchronized Reading measure() {
    long start = System.nanoTime();
    if (!AVAILABLE) {
      return new Reading(Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e6);
    }
    int threads = Runtime.getRuntime().availableProcessors();
    try {
      ready(threads);
      double read = Roofline.readBandwidth(buffer, threads, 0, ROUNDS);
      double fma = Roofline.fmaPeak(threads, FMA_ITERATIONS, 0, ROUNDS);
      return new Reading(read / 1e9, fma / 1e9, (System.nanoTime() - start) / 1e6);
    } catch (Exception e) {
      throw new IllegalStateException("the host probe failed: " + e, e);
    }
  }

  /**
   * Runs the kernels until the JIT has compiled them: interpreted, the vector API's kernels run
   * hundreds of times slower and would read as a collapsed machine.
   */
  private static void warmUp(int threads) throws Exception {
    Roofline.compile();
    Roofline.readBandwidth(buffer, threads, 1, 0); // a full-size round each, not counted
    Roofline.fmaPeak(threads, FMA_ITERATIONS, 1, 0);
    warm = true;
  }

  /**
   * 1.25 x the last-level cache this JVM's first core reports (Linux sysfs), 16 to 128 MB; 64 MB
   * when unknown.
   */
  static int bufferMegabytes() {
    long largest = 0;
    for (int index = 0; index < 8; index++) {
      Path size = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + index + "/size");
      try {
        largest = Math.max(largest, parseSize(Files.readString(size).strip()));
      } catch (IOException | NumberFormatException e) {
        break;
      }
    }
    if (largest == 0) {
      return 64;
    }
    return (int) Math.max(16, Math.min(128, largest * 5 / 4 / (1 << 20)));
  }

  /** A sysfs cache size such as {@code 32768K} or {@code 1M}, in bytes. */
  static long parseSize(String s) {
    char unit = s.charAt(s.length() - 1);
    long scale =
        switch (unit) {
          case 'K' -> 1L << 10;
          case 'M' -> 1L << 20;
          case 'G' -> 1L << 30;
          default -> 1;
        };
    return Long.parseLong(Character.isDigit(unit) ? s : s.substring(0, s.length() - 1)) * scale;
  }
}
