package dev.llmsweep.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 projection kernel for CPU: {@code y = x W^T} for any number of rows of {@code x},
 * from single-row decode (bound by memory bandwidth) to prefill (bound by arithmetic).
 *
 * <p>Why not PyTorch's MKL: on the 2-core AMD EPYC (AVX-512) this project is developed on, MKL's
 * sgemv reads weights at 12–14 GB/s against 55 GB/s of measured read bandwidth, and its sgemm for
 * 32 rows reaches about 75 GFLOPS, varying 1–4× from process to process, against 230 GFLOPS of
 * peak. This kernel reaches 35 GB/s at one row and 170–210 GFLOPS from 32 rows up.
 *
 * <p>How: the weight is packed once into panels of {@value #VECTORS} vectors' worth of output
 * columns ({@link #PANEL} columns); inside a panel each input column {@code k} holds the panel's
 * weights contiguously. The micro-kernel keeps a tile of 4 rows × {@link #PANEL} outputs in 16
 * vector registers and, per {@code k}, loads {@value #VECTORS} weight vectors and broadcasts one
 * input value per row: 16 fused multiply-adds per 8 loads, so it runs at the FMA units' rate while
 * the panel streams from memory once per 4 rows (and from L2 for the rows after). Panels are split
 * across one thread per core. Results differ from PyTorch's only in summation order.
 */
public final class HostMatmul {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  static final int VECTORS = 4;

  /** Output columns per panel: 64 with AVX-512, 32 with AVX2. */
  static final int PANEL = VECTORS * LANES;

  /**
   * Below this many multiply-adds a call stays on the calling thread: a handoff costs tens of
   * microseconds.
   */
  private static final long PARALLEL_MIN_MACS = 1L << 20;

  /**
   * A weight smaller than this many values (1 MiB of float32: it stays in the cores' caches, so the
   * call is bound by arithmetic, not memory) is split across threads only from {@link
   * #SMALL_WEIGHT_PARALLEL_MIN_MACS} multiply-adds on. A part handed to a worker that another
   * thread of the JVM (the JIT, the GC, Spark's) has taken off its core waits for it, up to a
   * scheduler slice of several ms: on 2 busy cores the built-in tiny model's batch-64 decode step
   * (1.4M multiply-adds per projection) took 2 ms split and 0.8 ms on one thread.
   */
  private static final long SMALL_WEIGHT = 1L << 18;

  private static final long SMALL_WEIGHT_PARALLEL_MIN_MACS = 1L << 22;

  private final int out;
  private final int in;
  private final int panels;
  private final float[]
      packed; // [panels][in][PANEL]; columns past `out` in the last panel are zero

  /** Packs {@code weight}, row-major [out, in] float32 values. */
  public HostMatmul(float[] weight, int out, int in) {
    if ((long) out * in != weight.length) {
      throw new IllegalStateException(
          "weight has " + weight.length + " values, not " + out + " x " + in);
    }
    this.out = out;
    this.in = in;
    this.panels = (out + PANEL - 1) / PANEL;
    long size = (long) panels * PANEL * in;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "projection of " + out + " x " + in + " is too large for one Java array");
    }
    this.packed = new float[(int) size];
    for (int p = 0; p < panels; p++) {
      int base = p * PANEL * in;
      for (int j = 0; j < PANEL && p * PANEL + j < out; j++) {
        int row =
            (p * PANEL + j)
                * in; // sequential reads of one weight row, strided writes within the panel
        for (int k = 0; k < in; k++) {
          packed[base + k * PANEL + j] = weight[row + k];
        }
      }
    }
  }

  /** {@code y[m, :] = W x[m, :]} for {@code m} rows of {@code x} ([m, in]); returns [m, out]. */
  public float[] multiply(float[] x, int m) {
    int width =
        panels
            * PANEL; // the kernel writes whole panels; compacted below when out is not a multiple
    float[] y = new float[m * width];
    long macs = (long) m * out * in;
    boolean split =
        macs >= PARALLEL_MIN_MACS
            && ((long) out * in >= SMALL_WEIGHT || macs >= SMALL_WEIGHT_PARALLEL_MIN_MACS);
    int parts = split ? Math.min(HostThreads.COUNT, panels) : 1;
    HostThreads.run(
        parts, part -> run(x, m, y, width, panels * part / parts, panels * (part + 1) / parts));
    if (width == out) {
      return y;
    }
    float[] compact = new float[m * out];
    for (int row = 0; row < m; row++) {
      System.arraycopy(y, row * width, compact, row * out, out);
    }
    return compact;
  }

  private void run(float[] x, int m, float[] y, int width, int fromPanel, int toPanel) {
    for (int p = fromPanel; p < toPanel; p++) {
      int row = 0;
      for (; row + 4 <= m; row += 4) {
        tile(
            x, row, y, width, p); // the panel streams from memory for the first tile, from L2 after
      }
      for (; row < m; row++) {
        single(x, row, y, width, p);
      }
    }
  }

  /** Rows {@code m0 .. m0 + 3} against panel {@code p}: 16 accumulators. */
  private void tile(float[] x, int m0, float[] y, int width, int p) {
    int x0 = m0 * in;
    int x1 = x0 + in;
    int x2 = x1 + in;
    int x3 = x2 + in;
    FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    int o = p * PANEL * in;
    for (int k = 0; k < in; k++, o += PANEL) {
      FloatVector w0 = FloatVector.fromArray(SPECIES, packed, o);
      FloatVector w1 = FloatVector.fromArray(SPECIES, packed, o + LANES);
      FloatVector w2 = FloatVector.fromArray(SPECIES, packed, o + 2 * LANES);
      FloatVector w3 = FloatVector.fromArray(SPECIES, packed, o + 3 * LANES);
      FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + k]);
      a00 = w0.fma(v, a00);
      a01 = w1.fma(v, a01);
      a02 = w2.fma(v, a02);
      a03 = w3.fma(v, a03);
      v = FloatVector.broadcast(SPECIES, x[x1 + k]);
      a10 = w0.fma(v, a10);
      a11 = w1.fma(v, a11);
      a12 = w2.fma(v, a12);
      a13 = w3.fma(v, a13);
      v = FloatVector.broadcast(SPECIES, x[x2 + k]);
      a20 = w0.fma(v, a20);
      a21 = w1.fma(v, a21);
      a22 = w2.fma(v, a22);
      a23 = w3.fma(v, a23);
      v = FloatVector.broadcast(SPECIES, x[x3 + k]);
      a30 = w0.fma(v, a30);
      a31 = w1.fma(v, a31);
      a32 = w2.fma(v, a32);
      a33 = w3.fma(v, a33);
    }
    // stores written out, not through a helper taking vectors: when C2 compiles this method
    // before the helper's call sites look hot it does not inline it, and vectors passed to a call
    // are boxed, which once made every decode step 10x slower for the life of the JVM
    int yo = m0 * width + p * PANEL;
    a00.intoArray(y, yo);
    a01.intoArray(y, yo + LANES);
    a02.intoArray(y, yo + 2 * LANES);
    a03.intoArray(y, yo + 3 * LANES);
    yo += width;
    a10.intoArray(y, yo);
    a11.intoArray(y, yo + LANES);
    a12.intoArray(y, yo + 2 * LANES);
    a13.intoArray(y, yo + 3 * LANES);
    yo += width;
    a20.intoArray(y, yo);
    a21.intoArray(y, yo + LANES);
    a22.intoArray(y, yo + 2 * LANES);
    a23.intoArray(y, yo + 3 * LANES);
    yo += width;
    a30.intoArray(y, yo);
    a31.intoArray(y, yo + LANES);
    a32.intoArray(y, yo + 2 * LANES);
    a33.intoArray(y, yo + 3 * LANES);
  }

  /** Row {@code m} against panel {@code p}: the remainder rows, and all of single-row decode. */
  private void single(float[] x, int m, float[] y, int width, int p) {
    int x0 = m * in;
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
    int o = p * PANEL * in;
    for (int k = 0; k < in; k++, o += PANEL) {
      FloatVector v = FloatVector.broadcast(SPECIES, x[x0 + k]);
      a0 = FloatVector.fromArray(SPECIES, packed, o).fma(v, a0);
      a1 = FloatVector.fromArray(SPECIES, packed, o + LANES).fma(v, a1);
      a2 = FloatVector.fromArray(SPECIES, packed, o + 2 * LANES).fma(v, a2);
      a3 = FloatVector.fromArray(SPECIES, packed, o + 3 * LANES).fma(v, a3);
    }
    int yo = m * width + p * PANEL; // stores written out: see tile()
    a0.intoArray(y, yo);
    a1.intoArray(y, yo + LANES);
    a2.intoArray(y, yo + 2 * LANES);
    a3.intoArray(y, yo + 3 * LANES);
  }
}
