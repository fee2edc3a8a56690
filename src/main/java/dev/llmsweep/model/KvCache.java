package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Keys and values of every layer for one batch, preallocated for the whole generation and held
 * outside the per-step scopes. Keys are stored transposed so that attention scores are one plain
 * batched matrix product over a view of the cache (no copies, no broadcasting). New entries are
 * written in place at the current length.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer [batch, kvHeads, headDim, capacity]
  private final NDArray[] values; // per layer [batch, kvHeads, capacity, headDim]
  private final int capacity;

  public KvCache(NDManager parent, LlamaConfig config, int batch, int capacity, DataType dtype) {
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[config.layers()];
    this.values = new NDArray[config.layers()];
    Shape keyShape = new Shape(batch, config.kvHeads(), config.headDim(), capacity);
    Shape valueShape = new Shape(batch, config.kvHeads(), capacity, config.headDim());
    for (int i = 0; i < config.layers(); i++) {
      keys[i] = manager.zeros(keyShape, dtype);
      values[i] = manager.zeros(valueShape, dtype);
    }
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Writes the new keys {@code kT} [batch, kvHeads, headDim, tokens] and values {@code v} [batch,
   * kvHeads, tokens, headDim] at positions {@code [start, start + tokens)} of layer {@code layer}.
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
