package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Keys and values of every layer for one batch, preallocated for the whole generation and held
 * outside the per-step scopes. New entries are written in place at the current length.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer [batch, kvHeads, capacity, headDim]
  private final NDArray[] values; // per layer [batch, kvHeads, capacity, headDim]
  private final int capacity;

  public KvCache(NDManager parent, LlamaConfig config, int batch, int capacity, DataType dtype) {
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[config.layers()];
    this.values = new NDArray[config.layers()];
    Shape shape = new Shape(batch, config.kvHeads(), capacity, config.headDim());
    for (int i = 0; i < config.layers(); i++) {
      keys[i] = manager.zeros(shape, dtype);
      values[i] = manager.zeros(shape, dtype);
    }
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Writes {@code k}, {@code v} ([batch, kvHeads, tokens, headDim]) at positions {@code [start,
   * start + tokens)} of layer {@code layer} and returns views of the filled part.
   *
   * @return keys and values [batch, kvHeads, start + tokens, headDim]
   */
  public NDArray[] append(int layer, NDArray k, NDArray v, int start, int tokens) {
    int end = start + tokens;
    write(keys[layer], k, start, end);
    write(values[layer], v, start, end);
    return new NDArray[] {filled(keys[layer], end), filled(values[layer], end)};
  }

  private static void write(NDArray cache, NDArray update, int start, int end) {
    long[] shape = cache.getShape().getShape();
    JniUtils.indexSet(
        (PtNDArray) cache,
        (PtNDArray) update,
        new long[] {0, 0, start, 0},
        new long[] {shape[0], shape[1], end, shape[3]},
        new long[] {1, 1, 1, 1});
  }

  private static NDArray filled(NDArray cache, int end) {
    // a view: narrow along the sequence axis; registered with the current step scope
    return JniUtils.slice((PtNDArray) cache, 2, 0, end, 1);
  }

  @Override
  public void close() {
    manager.close();
  }
}
