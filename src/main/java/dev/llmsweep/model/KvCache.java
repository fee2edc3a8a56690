package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Keys and values of every layer for one batch, preallocated for the whole generation and held
 * outside the per-step scopes, in one of two places:
 *
 * <ul>
 *   <li>on the device (NDArrays) for PyTorch's attention: keys stored transposed so that attention
 *       scores are one plain batched matrix product over a view of the cache (no copies, no
 *       broadcasting); new entries written in place at the current length;
 *   <li>in Java arrays for {@link HostAttention} (CPU, float32): keys in blocks of {@code L}
 *       positions, [batch, kvHeads, stride / L, headDim, L], and values [batch, kvHeads, stride,
 *       headDim], stride = capacity rounded up to whole blocks.
 * </ul>
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer [batch, kvHeads, headDim, capacity]; null on the host
  private final NDArray[] values; // per layer [batch, kvHeads, capacity, headDim]; null on the host
  private final float[][] hostKeys; // per layer [batch, kvHeads, stride / L, headDim, L]; null on the device
  private final float[][] hostValues; // per layer [batch, kvHeads, stride, headDim]; null on the device
  private final int kvHeads;
  private final int headDim;
  private final int capacity;
  private final int stride;

  public KvCache(NDManager parent, LlamaConfig config, int batch, int capacity, DataType dtype, boolean onHost) {
    this.manager = parent.newSubManager();
    this.kvHeads = config.kvHeads();
    this.headDim = config.headDim();
    this.capacity = capacity;
    if (onHost) {
      this.stride = HostAttention.stride(capacity);
      long size = (long) batch * kvHeads * headDim * stride;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("a KV cache of batch " + batch + " x " + capacity
            + " positions is too large for the CPU kernels (" + size + " values per layer)");
      }
      this.hostKeys = new float[config.layers()][(int) size];
      this.hostValues = new float[config.layers()][(int) size];
      this.keys = null;
      this.values = null;
      return;
    }
    this.stride = capacity;
    this.hostKeys = null;
    this.hostValues = null;
    this.keys = new NDArray[config.layers()];
    this.values = new NDArray[config.layers()];
    Shape keyShape = new Shape(batch, kvHeads, headDim, capacity);
    Shape valueShape = new Shape(batch, kvHeads, capacity, headDim);
    for (int i = 0; i < config.layers(); i++) {
      keys[i] = manager.zeros(keyShape, dtype);
      values[i] = manager.zeros(valueShape, dtype);
    }
  }

  public int capacity() {
    return capacity;
  }

  /** Whether keys and values live in Java arrays ({@link HostAttention}) rather than NDArrays. */
  public boolean onHost() {
    return hostKeys != null;
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

  /** Host keys of {@code layer}: [batch, kvHeads, stride / L, headDim, L], L = {@link HostAttention#LANES}. */
  float[] keys(int layer) {
    return hostKeys[layer];
  }

  /** Host values of {@code layer}: [batch, kvHeads, stride, headDim]. */
  float[] values(int layer) {
    return hostValues[layer];
  }

  /**
   * Host cache: writes row {@code r}'s keys and values of kv head {@code g} from {@code qkv}
   * [batch, tokens, heads + 2 * kvHeads, headDim] at positions {@code [start, start + tokens)} of
   * layer {@code layer}.
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
      int keyBase = ((r * kvHeads + g) * stride + position / lanes * lanes) * headDim + position % lanes;
      for (int c = 0; c < headDim; c++) {
        k[keyBase + c * lanes] = qkv[key + c];
      }
      int value = (token + heads + kvHeads + g) * headDim;
      System.arraycopy(qkv, value, v, ((r * kvHeads + g) * stride + position) * headDim, headDim);
    }
  }

  /**
   * Device cache: writes the new keys {@code kT} [batch, kvHeads, headDim, tokens] and values
   * {@code v} [batch, kvHeads, tokens, headDim] at positions {@code [start, start + tokens)} of
   * layer {@code layer}.
   *
   * @return views of the filled part: keys [batch, kvHeads, headDim, L] and values [batch, kvHeads,
   *     L, headDim], L = start + tokens
   */
  public NDArray[] append(int layer, NDArray kT, NDArray v, int start, int tokens) {
    int end = start + tokens;
    long[] ks = keys[layer].getShape().getShape();
    JniUtils.indexSet((PtNDArray) keys[layer], (PtNDArray) kT,
        new long[] {0, 0, 0, start}, new long[] {ks[0], ks[1], ks[2], end}, new long[] {1, 1, 1, 1});
    long[] vs = values[layer].getShape().getShape();
    JniUtils.indexSet((PtNDArray) values[layer], (PtNDArray) v,
        new long[] {0, 0, start, 0}, new long[] {vs[0], vs[1], end, vs[3]}, new long[] {1, 1, 1, 1});
    // views, registered with the current step scope
    return new NDArray[] {
      JniUtils.slice((PtNDArray) keys[layer], 3, 0, end, 1),
      JniUtils.slice((PtNDArray) values[layer], 2, 0, end, 1)
    };
  }

  @Override
  public void close() {
    manager.close();
  }
}
