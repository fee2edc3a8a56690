package dev.llmsweep.spark;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How long the JVM's JIT compilers have worked so far: what the warm-ups watch besides the decode
 * step. A fresh executor JVM goes on compiling for seconds after its first calls (the kernels'
 * paths, then Spark's own code as points commit), on compiler threads that take a core from the
 * engine: on a 2-core machine a call overlapped by a compilation had single steps of 6 ms against
 * 0.2 ms, with a median step that looked settled. So a warm-up call counts as steady only when the
 * JIT stayed {@link #quiet} during it.
 */
@FunctionalInterface
public interface JitClock {
  /** The JVM's own: its compilers' accumulated time ({@link CompilationMXBean}); 0 where the JVM does not report it. */
  JitClock JVM = jvm();

  /** A clock that never moves: for engines whose timestamps are made up (tests of the warm-up rules). */
  JitClock NONE = () -> 0;

  /** Milliseconds the JIT compilers have spent compiling since the JVM started. */
  long compileMillis();

  /**
   * Whether a call of {@code callMs} overlapped little JIT work: at most 1 ms plus a tenth of the
   * call (compilations of a few small methods come and go in any JVM; a C2 compilation of a hot
   * path takes tens to hundreds of ms).
   */
  static boolean quiet(long compiledMs, double callMs) {
    return compiledMs <= 1 + 0.1 * callMs;
  }

  private static JitClock jvm() {
    CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
      return NONE;
    }
    return bean::getTotalCompilationTime;
  }
}
