package dev.llmsweep.model.cpu;

import dev.llmsweep.model.LlamaConfig;

/**
 * Keys and values of every layer for one batch on the CPU kernels, preallocated for the whole
 * generation in Java arrays for {@link HostAttention}: keys in blocks of {@code L} positions,
 * [batch, kvHeads, stride / L, headDim, L], and values [batch, kvHeads, stride, headDim], stride =
 * capacity rounded up to whole blocks.
 */
public final class KvCache {
  private final float[][] hostKeys; // per layer [batch, kvHeads, stride / L, headDim, L]
  private final float[][] hostValues; // per layer [batch, kvHeads, stride, headDim]
  private final int kvHeads;
  private final int headDim;
  private final int capacity;
  private final int stride;

  public KvCache(LlamaConfig config, int batch, int capacity) {
    this.kvHeads = config.kvHeads();
    this.headDim = config.headDim();
    this.capacity = capacity;
    this.stride = HostAttention.stride(capacity);
    long size = (long) batch * kvHeads * headDim * stride;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "a KV cache of batch "
              + batch
              + " x "
              + capacity
              + " positions is too large for the CPU kernels ("
              + size
              + " values per layer)");
    }
    this.hostKeys = new float[config.layers()][(int) size];
    this.hostValues = new float[config.layers()][(int) size];
  }

  public int capacity() {
    return capacity;
  }

  int kvHeads() {
    return kvHeads;
  }

  int headDim() {
    return headDim;
  }

  /** Positions per (row, kv head) in the host arrays: the capacity padded to whole vectors. */
  int stride() {
    return stride;
  }

  /**
   * Host keys of {@code layer}: [batch, kvHeads, stride / L, headDim, L], L = {@link
   * HostAttention#LANES}.
   */
  float[] keys(int layer) {
    return hostKeys[layer];
  }

  /** Host values of {@code layer}: [batch, kvHeads, stride, headDim]. */
  float[] values(int layer) {
    return hostValues[layer];
  }

  /**
   * Writes row {@code r}'s keys and values of kv head {@code g} from {@code qkv} [batch, tokens,
   * heads + 2 * kvHeads, headDim] at positions {@code [start, start + tokens)} of layer {@code
   * layer}.
   */
  void write(int layer, float[] qkv, int heads, int start, int tokens, int r, int g) {
    float[] k = hostKeys[layer];
    float[] v = hostValues[layer];
    int fused = heads + 2 * kvHeads;
    int lanes = HostAttention.LANES;
    for (int i = 0; i < tokens; i++) {
      int token = (r * tokens + i) * fused;
      int position = start + i;
      int key = (token + heads + g) * headDim;
      int keyBase =
          ((r * kvHeads + g) * stride + position / lanes * lanes) * headDim + position % lanes;
      for (int c = 0; c < headDim; c++) {
        k[keyBase + c * lanes] = qkv[key + c];
      }
      int value = (token + heads + kvHeads + g) * headDim;
      System.arraycopy(qkv, value, v, ((r * kvHeads + g) * stride + position) * headDim, headDim);
    }
  }
}
