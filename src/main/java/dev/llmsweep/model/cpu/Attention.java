package dev.llmsweep.model.cpu;

import dev.llmsweep.model.LlamaConfig;

/**
 * Grouped-query self-attention with a KV cache, on the CPU kernels. q, k and v come from one fused
 * projection (q rows pre-scaled by 1/sqrt(headDim) and the input norm's gain folded in at load
 * time); {@link HostAttention} attends.
 */
public final class Attention {
  private final int heads;
  private final Projection qkvProjection; // [(heads + 2 * kvHeads) * headDim, hidden]
  private final Projection outProjection; // [hidden, heads * headDim]

  public Attention(LlamaConfig config, Projection qkvProjection, Projection outProjection) {
    this.heads = config.heads();
    this.qkvProjection = qkvProjection;
    this.outProjection = outProjection;
  }

  /** {@code x} [batch * tokens, hidden], already normalised; returns [batch * tokens, hidden]. */
  float[] forward(float[] x, StepContext step, KvCache cache, int layer) {
    int rows = (int) (step.batch() * step.tokens());
    float[] qkv = qkvProjection.multiply(x, rows); // [b, t, h + 2kv, d]
    step.rope().rotate(qkv, step.positions());
    float[] attended =
        HostAttention.attend(qkv, cache, layer, step, heads); // [b, t, h * d]; writes the cache
    return outProjection.multiply(attended, rows);
  }
}
