package dev.llmsweep.model;

/**
 * Rotary position embeddings, applied to the fused q/k/v projection in one pass: {@code x * cos +
 * rotateHalf(x) * sin} on the q and k heads, the value heads left as they are. The tables are built
 * here for both backends ({@link #tables}); {@link #rotate} applies them on the CPU kernels.
 */
public final class Rope {
  private final int headDim;
  private final int rotatedHeads; // heads + kvHeads
  private final int valueHeads; // kvHeads
  private final float[] hostCos; // [maxPositions, headDim]
  private final float[] hostSin; // [maxPositions, headDim]

  public Rope(LlamaConfig config) {
    this.headDim = config.headDim();
    this.rotatedHeads = config.heads() + config.kvHeads();
    this.valueHeads = config.kvHeads();
    float[] inv = config.rope().inverseFrequencies(headDim);
    int positions = config.maxPositions();
    int half = headDim / 2;
    float[] cos = new float[positions * headDim];
    float[] sin = new float[positions * headDim];
    for (int p = 0; p < positions; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * inv[i];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cos[p * headDim + i] = c;
        cos[p * headDim + i + half] = c;
        sin[p * headDim + i] = s;
        sin[p * headDim + i + half] = s;
      }
    }
    this.hostCos = cos;
    this.hostSin = sin;
  }

  /** cos and sin, each [maxPositions, headDim]: the angle p * inv[i] in both halves of a head. */
  public static float[][] tables(LlamaConfig config) {
    Rope r = new Rope(config);
    return new float[][] {r.hostCos, r.hostSin};
  }

  /**
   * The CPU kernels' rotation, in place and as the TorchScript path does: {@code qkv} [rows, heads
   * + 2 * kvHeads, headDim] (rows = batch * tokens), row {@code r} at position {@code
   * positions[r]}; the first heads + kvHeads heads (q and k) are rotated.
   */
  public void rotate(float[] qkv, long[] positions) {
    int half = headDim / 2;
    int fused = rotatedHeads + valueHeads;
    for (int r = 0; r < positions.length; r++) {
      int table = (int) positions[r] * headDim;
      for (int h = 0; h < rotatedHeads; h++) {
        int x = (r * fused + h) * headDim;
        for (int i = 0; i < half; i++) {
          float a = qkv[x + i];
          float b = qkv[x + i + half];
          qkv[x + i] = a * hostCos[table + i] + -b * hostSin[table + i];
          qkv[x + i + half] = b * hostCos[table + i + half] + a * hostSin[table + i + half];
        }
      }
    }
  }
}
