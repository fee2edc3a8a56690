package dev.llmsweep.job;

import java.io.Serializable;

/**
 * How a point reaches steady state before it is measured (travels with the {@link Point}). The
 * point's {@code warmups} are the least number of warm-up calls (0: none at all); after them
 * warm-ups go on until the median decode step of two consecutive warm-ups agree within {@code
 * tolerance} and the JIT compilers stayed quiet during the last one, at most {@code maxWarmups}
 * calls and {@code maxSeconds} of warm-up. {@code modelWarmupSeconds}: before a loaded model's
 * first point, short calls of every batch shape the run's points will use, round after round until
 * each shape's median decode step agrees with its own in the round before within {@code tolerance}
 * and a whole round passes with the JIT compilers quiet, at most that long (a fresh JVM compiles
 * its kernels for its first seconds).
 *
 * @param maxWarmups most warm-up calls of a point (equal to {@code warmups}: a fixed count)
 * @param tolerance relative difference of two consecutive warm-ups' median decode step that counts
 *     as stable
 * @param maxSeconds most seconds of warm-up calls of a point (checked after each call)
 * @param modelWarmupSeconds most seconds of the model warm-up (at least two rounds); 0: none
 * @param envTolerance relative difference of a point's before and after calibration probes (memory
 *     bandwidth, FMA rate, GPU copy and GEMM) beyond which the point is {@code env_changed}
 */
public record SteadyState(
    int maxWarmups, double tolerance, int maxSeconds, int modelWarmupSeconds, double envTolerance)
    implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The default {@code env_tolerance} (defaults.conf says the same). */
  public static final double ENV_TOLERANCE = 0.10;

  /** With the default {@code env_tolerance}. */
  public SteadyState(int maxWarmups, double tolerance, int maxSeconds, int modelWarmupSeconds) {
    this(maxWarmups, tolerance, maxSeconds, modelWarmupSeconds, ENV_TOLERANCE);
  }

  /**
   * Exactly {@code warmups} warm-up calls per point and no model warm-up (tests that count calls).
   */
  public static SteadyState fixed(int warmups) {
    return new SteadyState(warmups, 0.05, 60, 0);
  }

  /**
   * Whether a point that has made {@code done} warm-ups stops warming: never before {@code min};
   * then when the last two agreed and the JIT compilers were quiet during the last, or a bound is
   * reached. {@code min} = 0 turns warm-ups off.
   *
   * @param previousStepMs median decode step of the warm-up before the last (NaN with fewer than
   *     two)
   * @param lastStepMs median decode step of the last warm-up
   * @param jitQuiet whether the JVM's JIT compilers stayed (nearly) idle during the last warm-up
   */
  public boolean done(
      int done,
      int min,
      double previousStepMs,
      double lastStepMs,
      double elapsedSeconds,
      boolean jitQuiet) {
    if (min == 0) {
      return true;
    }
    if (done < min) {
      return false;
    }
    if (done >= maxWarmups || elapsedSeconds >= maxSeconds) {
      return true;
    }
    return jitQuiet && stable(previousStepMs, lastStepMs);
  }

  /** Two warm-ups' median decode steps agree within the tolerance. */
  public boolean stable(double previousStepMs, double lastStepMs) {
    return previousStepMs > 0
        && lastStepMs > 0
        && Math.abs(lastStepMs - previousStepMs)
            <= tolerance * Math.min(previousStepMs, lastStepMs);
  }
}
