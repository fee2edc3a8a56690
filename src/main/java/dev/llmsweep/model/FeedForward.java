package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The gated feed-forward: {@code down(silu(gate(x)) * up(x))}, gate and up fused at load time. */
public final class FeedForward {
  private final int intermediate;
  private final Projection gateUp; // [2 * intermediate, hidden]
  private final Projection down; // [hidden, intermediate]

  public FeedForward(LlamaConfig config, Projection gateUp, Projection down) {
    this.intermediate = config.intermediateSize();
    this.gateUp = gateUp;
    this.down = down;
  }

  /** {@code x}: [batch, tokens, hidden], already normalised; returns the same shape. */
  public NDArray forward(NDArray x) {
    NDList halves = gateUp.forward(x).split(new long[] {intermediate}, 2);
    NDArray gate = halves.get(0); // [b, t, intermediate]
    NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
    return down.forward(silu.mul(halves.get(1)));
  }

  /** The CPU kernels' path: {@code x} [rows, hidden], already normalised; returns [rows, hidden]. */
  float[] forwardOnHost(float[] x, int rows) {
    float[] gated = HostOps.swiGlu(gateUp.multiply(x, rows), intermediate); // [rows, intermediate]
    return down.multiply(gated, rows);
  }
}
