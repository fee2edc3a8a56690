package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reading the JVM's {@code Compiler.queue} report (the text {@code jcmd PID Compiler.queue} prints,
 * here as HotSpot 17 wrote it for a busy and an idle JIT): the warm-ups wait while the optimising
 * compiler has work, and only for that compiler (C1 compiles of small methods come and go).
 */
class JitClockTest {
  private static final String C2_RUNNING =
      """
      Current compiles:\s
      C2 CompilerThread0   488 %     4       Q::lambda$main$0 @ 4 (35 bytes)

      C1 compile queue:
      Empty

      C2 compile queue:
      Empty
      """;
  private static final String C2_QUEUED =
      """
      Current compiles:\s
      C1 CompilerThread0   483       3       java.lang.Integer::toString (55 bytes)

      C1 compile queue:
      Empty

      C2 compile queue:
       470       4       java.lang.String::<init> (15 bytes)
      """;
  private static final String C1_ONLY =
      """
      Current compiles:\s
      C1 CompilerThread0   483       3       java.lang.Integer::toString (55 bytes)

      C1 compile queue:
       489       1       java.util.concurrent.locks.AbstractQueuedSynchronizer::getState (5 bytes)

      C2 compile queue:
      Empty
      """;

  @Test
  void theOptimisingCompilerIsBusyWhileItCompilesOrHasAQueue() {
    assertTrue(JitClock.optimizerBusy(C2_RUNNING));
    assertTrue(JitClock.optimizerBusy(C2_QUEUED));
    assertFalse(JitClock.optimizerBusy(C1_ONLY), "C1 work alone does not hold the warm-ups");
  }

  @Test
  void aCallIsQuietWhenTheCompilersDidLittleDuringIt() {
    JitClock idle = () -> 0;
    assertTrue(JitClock.quiet(0, 0.5));
    assertTrue(JitClock.quiet(1, 0.5), "a millisecond of small compiles");
    assertTrue(JitClock.quiet(10, 100), "a tenth of a long call");
    assertFalse(JitClock.quiet(50, 20), "a C2 compilation during the call");
    assertTrue(idle.settled(0, 20));
    assertFalse(idle.settled(50, 20));
    JitClock optimizing = withOptimizer(() -> true);
    assertTrue(JitClock.quiet(0, 20), "a point's warm-up does not wait for C2's queue");
    assertFalse(
        optimizing.settled(0, 20),
        "the model warm-up does: C2 still has work at the end of the round");
    // a smaller share of the call (bench-client's warm-ups ask a hundredth)
    assertTrue(idle.settled(10, 100));
    assertFalse(idle.settled(10, 1000, 0.005), "10 ms in a second's call is over a two-hundredth");
    assertTrue(idle.settled(10, 1000, 0.01));
    assertFalse(optimizing.settled(0, 1000, 0.01));
  }

  @Test
  void theJvmAnswersWithoutFailing() {
    // whatever this JVM is doing, both questions have an answer (a JVM without the diagnostic
    // command falls back to the compile time alone)
    long before = JitClock.JVM.compileMillis();
    JitClock.JVM.optimizing();
    assertTrue(JitClock.JVM.compileMillis() >= before);
  }

  /**
   * A JIT whose compile time never moves and whose optimising compiler is busy when {@code busy}
   * says so.
   */
  static JitClock withOptimizer(java.util.function.BooleanSupplier busy) {
    return new JitClock() {
      @Override
      public long compileMillis() {
        return 0;
      }

      @Override
      public boolean optimizing() {
        return busy.getAsBoolean();
      }
    };
  }
}
