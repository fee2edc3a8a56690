package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;

/** One pre-norm decoder block: attention then feed-forward, each with a residual connection. */
public final class DecoderLayer {
  private final int index;
  private final RmsNorm inputNorm;
  private final Attention attention;
  private final RmsNorm postAttentionNorm;
  private final FeedForward feedForward;

  public DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, FeedForward feedForward) {
    this.index = index;
    this.inputNorm = inputNorm;
    this.attention = attention;
    this.postAttentionNorm = postAttentionNorm;
    this.feedForward = feedForward;
  }

  /** {@code x}: [batch, tokens, hidden]; returns the same shape. */
  public NDArray forward(NDArray x, StepContext step, KvCache cache) {
    NDArray h = x.add(attention.forward(inputNorm.forward(x), step, cache, index));
    return h.add(feedForward.forward(postAttentionNorm.forward(h)));
  }

  /** The CPU kernels' path: {@code x} [batch * tokens, hidden], updated in place and returned. */
  float[] forwardOnHost(float[] x, int hidden, StepContext step, KvCache cache) {
    HostOps.addInPlace(x, attention.forwardOnHost(inputNorm.forwardOnHost(x, hidden), step, cache, index));
    int rows = x.length / hidden;
    HostOps.addInPlace(x, feedForward.forwardOnHost(postAttentionNorm.forwardOnHost(x, hidden), rows));
    return x;
  }
}
