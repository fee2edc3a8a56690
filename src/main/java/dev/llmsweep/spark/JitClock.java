package dev.llmsweep.spark;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the JVM's JIT compilers are doing: what the warm-ups watch besides the decode step. A fresh
 * executor JVM goes on compiling for seconds after its first calls (the kernels' paths, then
 * Spark's own code as points commit), on compiler threads that take a core from the engine: on a
 * 2-core machine calls overlapped by a compilation had single steps of 6 ms against 0.2 ms, with a
 * median step that looked settled, and the first point, warmed while the optimising compiler still
 * had work, got 2x faster during its measured calls. So the model warm-up ends only on a {@link
 * #settled} JIT, and a point's warm-up counts as steady only when the JIT stayed {@link #quiet}
 * during it.
 */
@FunctionalInterface
public interface JitClock {
  /**
   * The JVM's own ({@link CompilationMXBean}, and the {@code Compiler.queue} diagnostic command).
   */
  JitClock JVM = new Jvm();

  /**
   * A JIT that never works: for engines whose timestamps are made up (tests of the warm-up rules).
   */
  JitClock NONE =
      new JitClock() {
        @Override
        public long compileMillis() {
          return 0;
        }
      };

  /**
   * Milliseconds the JIT compilers have spent compiling since the JVM started (compilations that
   * ended).
   */
  long compileMillis();

  /** Whether the optimising compiler (C2) is compiling now or has methods queued. */
  default boolean optimizing() {
    return false;
  }

  /** The share of a call the compilers may work during it, on a quiet JIT ({@link #quiet}). */
  double QUIET_SHARE = 0.1;

  /**
   * Whether a call of {@code callMs}, during which the compilers finished {@code compiledMs} of
   * work, ran on a quiet JIT: at most 1 ms plus a tenth of the call (compilations of a few small
   * methods come and go in any JVM; a C2 compilation of a hot path takes tens to hundreds of ms).
   * What a point's warm-ups ask of their last call.
   */
  static boolean quiet(long compiledMs, double callMs) {
    return quiet(compiledMs, callMs, QUIET_SHARE);
  }

  /** {@link #quiet} with at most 1 ms plus {@code share} of the call compiling. */
  static boolean quiet(long compiledMs, double callMs, double share) {
    return compiledMs <= 1 + share * callMs;
  }

  /**
   * {@link #quiet} and, at the end of the call, nothing running or queued for the optimising
   * compiler: what the model warm-up asks of its last round, once per loaded model (a point's
   * warm-ups do not wait for it: under load C2 has some of the JVM's code queued much of the first
   * minutes, mostly code the engine no longer runs).
   */
  default boolean settled(long compiledMs, double callMs) {
    return settled(compiledMs, callMs, QUIET_SHARE);
  }

  /** {@link #settled} with at most 1 ms plus {@code share} of the call compiling. */
  default boolean settled(long compiledMs, double callMs, double share) {
    return quiet(compiledMs, callMs, share) && !optimizing();
  }

  /** Starts watching the JIT over one call (or round of calls): ask the window when it ends. */
  default Window window() {
    return new Window(this, compileMillis(), System.nanoTime());
  }

  /**
   * The JIT's work from a call's start: {@link #quiet} or {@link #settled} over the call so far.
   */
  record Window(JitClock clock, long compiledAtStart, long startNanos) {
    public boolean quiet() {
      return JitClock.quiet(
          clock.compileMillis() - compiledAtStart, (System.nanoTime() - startNanos) / 1e6);
    }

    public boolean settled() {
      return settled(QUIET_SHARE);
    }

    /** {@link JitClock#settled} over the call so far, with {@code share} of it compiling. */
    public boolean settled(double share) {
      return clock.settled(
          clock.compileMillis() - compiledAtStart, (System.nanoTime() - startNanos) / 1e6, share);
    }
  }

  /**
   * Whether a {@code Compiler.queue} report shows C2 work: a C2 compiler thread busy or a non-empty
   * C2 queue.
   */
  static boolean optimizerBusy(String report) {
    boolean inC2Queue = false;
    for (String line : report.split("\n")) {
      String t = line.strip();
      if (t.startsWith("C2 CompilerThread")) {
        return true;
      }
      if (t.endsWith("compile queue:")) {
        inC2Queue = t.startsWith("C2 ");
      } else if (inC2Queue && !t.isEmpty() && !t.equals("Empty")) {
        return true;
      }
    }
    return false;
  }

  /** The running JVM's compilers. */
  final class Jvm implements JitClock {
    private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName diagnostics;

    private Jvm() {
      ObjectName name;
      try {
        name = new ObjectName("com.sun.management:type=DiagnosticCommand");
      } catch (JMException e) {
        name = null;
      }
      diagnostics = name;
    }

    @Override
    public long compileMillis() {
      return compilation != null && compilation.isCompilationTimeMonitoringSupported()
          ? compilation.getTotalCompilationTime()
          : 0;
    }

    @Override
    public boolean optimizing() {
      if (diagnostics == null) {
        return false;
      }
      try {
        Object report =
            server.invoke(
                diagnostics,
                "compilerQueue",
                new Object[] {null},
                new String[] {String[].class.getName()});
        return report != null && optimizerBusy(report.toString());
      } catch (JMException | RuntimeException e) {
        return false; // a JVM without the command: the compile time alone decides
      }
    }
  }
}
