package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * Grouped-query self-attention with a KV cache. q, k and v come from one fused projection (q rows
 * pre-scaled by 1/sqrt(headDim) at load time); query heads are grouped per key/value head so keys
 * are never repeated.
 */
public final class Attention {
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final NDArray qkvWeight; // [(heads + 2 * kvHeads) * headDim, hidden]
  private final NDArray outWeight; // [hidden, heads * headDim]

  public Attention(LlamaConfig config, NDArray qkvWeight, NDArray outWeight) {
    this.heads = config.heads();
    this.kvHeads = config.kvHeads();
    this.headDim = config.headDim();
    this.qkvWeight = qkvWeight;
    this.outWeight = outWeight;
  }

  /**
   * @param x [batch, tokens, hidden], already normalised
   * @param step positions, rope and mask of this step
   * @param cache written at {@code step.start()}
   * @param layer index into the cache
   * @return [batch, tokens, hidden]
   */
  public NDArray forward(NDArray x, StepContext step, KvCache cache, int layer) {
    long b = step.batch();
    long t = step.tokens();
    int group = heads / kvHeads;
    NDArray qkv = Linear.linear(x, qkvWeight).singletonOrThrow()
        .reshape(new Shape(b, t, heads + 2L * kvHeads, headDim)); // [b, t, h + 2kv, d]
    qkv = step.rope().apply(qkv, step.cosSin());
    NDList parts = qkv.split(new long[] {heads, heads + kvHeads}, 2);
    NDArray q = parts.get(0).reshape(new Shape(b, t, kvHeads, group, headDim)).transpose(0, 2, 3, 1, 4); // [b, kv, g, t, d]
    NDArray k = parts.get(1).transpose(0, 2, 1, 3); // [b, kv, t, d]
    NDArray v = parts.get(2).transpose(0, 2, 1, 3); // [b, kv, t, d]
    NDArray[] kv = cache.append(layer, k, v, step.start(), (int) t); // [b, kv, L, d] each
    NDArray keysT = kv[0].expandDims(2).transpose(0, 1, 2, 4, 3); // [b, kv, 1, d, L]
    NDArray scores = q.matMul(keysT).add(step.mask()); // [b, kv, g, t, L]
    NDArray probs = scores.softmax(-1);
    NDArray out = probs.matMul(kv[1].expandDims(2)); // [b, kv, g, t, d]
    out = out.transpose(0, 3, 1, 2, 4).reshape(new Shape(b, t, (long) heads * headDim)); // [b, t, h*d]
    return Linear.linear(out, outWeight).singletonOrThrow();
  }
}
