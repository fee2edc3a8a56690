package dev.llmsweep.probe;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU's two roofs, measured with the same Java vector instructions the CPU kernels use: peak
 * float32 FMA throughput (12 independent accumulator chains per core, no memory traffic) and read
 * bandwidth (a vector sum over a buffer far larger than the caches), both with one thread per core.
 * The engine benchmark sets decode against them: batch-1 decode reads every weight once per step,
 * large-batch decode is bound by arithmetic.
 */
public final class Roofline {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private Roofline() {}

  /**
   * Calls of each kernel, on small inputs, that get it compiled by C2 (its invocation threshold is
   * 5,000).
   */
  static final int WARM_CALLS = 12_000;

  private static boolean compiled;

  /** Peak float32 FLOP/s over {@code threads} threads: best of 3 rounds, the kernel compiled. */
  public static double fmaPeak(int threads) throws Exception {
    compile();
    return fmaPeak(threads, 20_000_000, 0, 3);
  }

  /**
   * Float32 FLOP/s over {@code threads} threads: best of {@code rounds} rounds of {@code
   * iterations} loop iterations each, after {@code unmeasured} rounds that are not counted.
   */
  static double fmaPeak(int threads, long iterations, int unmeasured, int rounds) throws Exception {
    double best = 0;
    for (int round = 0; round < unmeasured + rounds; round++) {
      double seconds = TimedThreads.seconds(threads, index -> fmaLoop(iterations));
      if (round >= unmeasured) {
        best = Math.max(best, threads * iterations * 12.0 * LANES * 2 / seconds);
      }
    }
    return best;
  }

  /**
   * Read bandwidth in bytes per second over {@code threads} threads: best of 3 sums of {@code
   * megabytes}.
   */
  public static double readBandwidth(int megabytes, int threads) throws Exception {
    compile();
    return readBandwidth(filled(megabytes), threads, 1, 3);
  }

  /**
   * A buffer of {@code megabytes} MB for {@link #readBandwidth(float[], int, int, int)}, paged in.
   */
  static float[] filled(int megabytes) {
    float[] data = new float[megabytes * (1 << 20) / 4];
    java.util.Arrays.fill(data, 1f);
    return data;
  }

  /**
   * Read bandwidth in bytes per second over {@code threads} threads: best of {@code rounds} sums of
   * {@code data}, after {@code unmeasured} sums that are not counted.
   */
  static double readBandwidth(float[] data, int threads, int unmeasured, int rounds)
      throws Exception {
    double best = 0;
    for (int round = 0; round < unmeasured + rounds; round++) {
      double seconds =
          TimedThreads.seconds(
              threads,
              index ->
                  sum(data, data.length / threads * index, data.length / threads * (index + 1)));
      if (round >= unmeasured) {
        best = Math.max(best, (double) data.length * 4 / seconds);
      }
    }
    return best;
  }

  /**
   * Calls both kernels on a small input until the JIT has compiled them, once per JVM. A first
   * full-size round instead ran the FMA loop interpreted, each vector operation an object: 4 s of a
   * 0.2 s measurement (`bench-engine` spent 11 s in its two roofs).
   */
  static synchronized void compile() {
    if (compiled) {
      return; // fmaPeak and readBandwidth each ask, one after the other
    }
    compiled = true;
    float[] small = new float[4096];
    for (int i = 0; i < WARM_CALLS; i++) {
      fmaLoop(16);
      sum(small, 0, small.length);
    }
  }

  private static volatile float sink;

  private static void fmaLoop(long iterations) {
    FloatVector m = FloatVector.broadcast(SPECIES, 0.999999f);
    FloatVector c = FloatVector.broadcast(SPECIES, 1e-7f);
    FloatVector a0 = FloatVector.broadcast(SPECIES, 1f),
        a1 = a0,
        a2 = a0,
        a3 = a0,
        a4 = a0,
        a5 = a0;
    FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    for (long i = 0; i < iterations; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
    }
    FloatVector s =
        a0.add(a1)
            .add(a2)
            .add(a3)
            .add(a4)
            .add(a5)
            .add(a6)
            .add(a7)
            .add(a8)
            .add(a9)
            .add(a10)
            .add(a11);
    sink = s.reduceLanes(VectorOperators.ADD);
  }

  private static void sum(float[] data, int from, int to) {
    FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
    int i = from;
    for (; i + 4 * LANES <= to; i += 4 * LANES) {
      s0 = s0.add(FloatVector.fromArray(SPECIES, data, i));
      s1 = s1.add(FloatVector.fromArray(SPECIES, data, i + LANES));
      s2 = s2.add(FloatVector.fromArray(SPECIES, data, i + 2 * LANES));
      s3 = s3.add(FloatVector.fromArray(SPECIES, data, i + 3 * LANES));
    }
    float rest = 0;
    for (; i < to; i++) {
      rest += data[i];
    }
    sink = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD) + rest;
  }
}
