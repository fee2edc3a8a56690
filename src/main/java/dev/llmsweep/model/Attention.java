package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Grouped-query self-attention with a KV cache. q, k and v come from one fused projection (q rows
 * pre-scaled by 1/sqrt(headDim) and the input norm's gain folded in at load time). Query heads
 * are grouped per key/value head, so each product is a plain batched matmul over [batch, kvHeads]
 * and keys are never repeated or copied.
 */
public final class Attention {
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final Projection qkvProjection; // [(heads + 2 * kvHeads) * headDim, hidden]
  private final Projection outProjection; // [hidden, heads * headDim]

  public Attention(LlamaConfig config, Projection qkvProjection, Projection outProjection) {
    this.heads = config.heads();
    this.kvHeads = config.kvHeads();
    this.headDim = config.headDim();
    this.qkvProjection = qkvProjection;
    this.outProjection = outProjection;
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
    long group = heads / kvHeads;
    NDArray qkv = qkvProjection.forward(x).reshape(new Shape(b, t, heads + 2L * kvHeads, headDim)); // [b, t, h + 2kv, d]
    qkv = step.rope().apply(qkv, step.cosSin());
    NDList parts = qkv.split(new long[] {heads, heads + kvHeads}, 2);
    NDArray q; // [b, kv, g * t, d], rows ordered (g, t)
    if (t == 1) {
      q = parts.get(0).reshape(new Shape(b, kvHeads, group, headDim));
    } else {
      q = parts.get(0).reshape(new Shape(b, t, kvHeads, group, headDim)).transpose(0, 2, 3, 1, 4)
          .reshape(new Shape(b, kvHeads, group * t, headDim));
    }
    NDArray kT = parts.get(1).transpose(0, 2, 3, 1); // [b, kv, d, t]
    NDArray v = parts.get(2).transpose(0, 2, 1, 3); // [b, kv, t, d]
    NDArray[] kv = cache.append(layer, kT, v, step.start(), (int) t); // [b, kv, d, L], [b, kv, L, d]
    long length = step.start() + t;
    NDArray scores = q.matMul(kv[0]); // [b, kv, g * t, L]
    if (t == 1) {
      scores = scores.add(step.mask()); // mask [b, 1, 1, L]
    } else {
      scores = scores.reshape(new Shape(b, kvHeads, group, t, length)).add(step.mask()) // mask [b, 1, 1, t, L]
          .reshape(new Shape(b, kvHeads, group * t, length));
    }
    NDArray out = scores.softmax(-1).matMul(kv[1]); // [b, kv, g * t, d]
    if (t == 1) {
      out = out.reshape(new Shape(b, 1, (long) heads * headDim));
    } else {
      out = out.reshape(new Shape(b, kvHeads, group, t, headDim)).transpose(0, 3, 1, 2, 4)
          .reshape(new Shape(b, t, (long) heads * headDim)); // [b, t, h * d]
    }
    return outProjection.forward(out);
  }

  /**
   * The same block on the CPU kernels, in Java arrays: {@code x} [batch * tokens, hidden], already
   * normalised; returns [batch * tokens, hidden].
   */
  float[] forwardOnHost(float[] x, StepContext step, KvCache cache, int layer) {
    int rows = (int) (step.batch() * step.tokens());
    float[] qkv = qkvProjection.multiply(x, rows); // [b, t, h + 2kv, d]
    step.rope().rotate(qkv, step.positions());
    float[] attended = HostAttention.attend(qkv, cache, layer, step, heads); // [b, t, h * d]; writes the cache
    return outProjection.multiply(attended, rows);
  }
}
