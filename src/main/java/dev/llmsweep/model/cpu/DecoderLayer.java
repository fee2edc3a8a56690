package dev.llmsweep.model.cpu;

/**
 * One pre-norm decoder block: attention then feed-forward, each with a residual connection. The
 * norms carry no gain: it is folded into the projection after each (see {@link ModelLoader}).
 */
public final class DecoderLayer {
  private final int index;
  private final float eps;
  private final Attention attention;
  private final FeedForward feedForward;

  public DecoderLayer(int index, double eps, Attention attention, FeedForward feedForward) {
    this.index = index;
    this.eps = (float) eps;
    this.attention = attention;
    this.feedForward = feedForward;
  }

  /** {@code x} [batch * tokens, hidden], updated in place and returned. */
  float[] forward(float[] x, int hidden, StepContext step, KvCache cache) {
    HostOps.addInPlace(x, attention.forward(HostOps.rmsNorm(x, hidden, eps), step, cache, index));
    int rows = x.length / hidden;
    HostOps.addInPlace(x, feedForward.forward(HostOps.rmsNorm(x, hidden, eps), rows));
    return x;
  }
}
