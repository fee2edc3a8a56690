package dev.llmsweep.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise parts of a decoder layer on the CPU kernels' Java arrays: RMSNorm, the SwiGLU
 * gate and residual additions, in float32 as PyTorch computes them (results differ only in the
 * summation order of the norm's mean). Keeping them in Java saves about 20 PyTorch calls per layer,
 * each with its JNI crossing and output allocation.
 */
final class HostOps {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);

  private HostOps() {}

  /** {@code x / sqrt(mean(x^2) + eps)} over each row of {@code x} [rows, width]; a new array. */
  static float[] rmsNorm(float[] x, int width, float eps) {
    float[] out = new float[x.length];
    int whole = width / LANES * LANES;
    for (int row = 0; row < x.length; row += width) {
      FloatVector acc = FloatVector.zero(SPECIES);
      int c = 0;
      for (; c < whole; c += LANES) {
        FloatVector v = FloatVector.fromArray(SPECIES, x, row + c);
        acc = v.fma(v, acc);
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      for (; c < width; c++) {
        sum += x[row + c] * x[row + c];
      }
      float scale = (float) (1.0 / Math.sqrt(sum / width + eps));
      c = 0;
      for (; c < whole; c += LANES) {
        FloatVector.fromArray(SPECIES, x, row + c).mul(scale).intoArray(out, row + c);
      }
      for (; c < width; c++) {
        out[row + c] = x[row + c] * scale;
      }
    }
    return out;
  }

  /**
   * SwiGLU: {@code silu(gate) * up} from {@code gateUp} [rows, 2 * width] (gate half first, as the
   * fused projection writes it); returns [rows, width].
   */
  static float[] swiGlu(float[] gateUp, int width) {
    int rows = gateUp.length / (2 * width);
    float[] out = new float[rows * width];
    int whole = width / LANES * LANES;
    for (int r = 0; r < rows; r++) {
      int gate = r * 2 * width;
      int up = gate + width;
      int o = r * width;
      int c = 0;
      for (; c < whole; c += LANES) {
        FloatVector g = FloatVector.fromArray(SPECIES, gateUp, gate + c);
        FloatVector sigmoid = ONE.div(g.neg().lanewise(VectorOperators.EXP).add(ONE));
        g.mul(sigmoid).mul(FloatVector.fromArray(SPECIES, gateUp, up + c)).intoArray(out, o + c);
      }
      for (; c < width; c++) {
        float g = gateUp[gate + c];
        out[o + c] = g * (1f / (1f + (float) Math.exp(-g))) * gateUp[up + c];
      }
    }
    return out;
  }

  /** {@code a += b}, elementwise. */
  static void addInPlace(float[] a, float[] b) {
    int whole = a.length / LANES * LANES;
    int i = 0;
    for (; i < whole; i += LANES) {
      FloatVector.fromArray(SPECIES, a, i)
          .add(FloatVector.fromArray(SPECIES, b, i))
          .intoArray(a, i);
    }
    for (; i < a.length; i++) {
      a[i] += b[i];
    }
  }
}
