package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;

/** The gated feed-forward: {@code down(silu(gate(x)) * up(x))}, gate and up fused at load time. */
public final class FeedForward {
  private final int intermediate;
  private final NDArray gateUpWeight; // [2 * intermediate, hidden]
  private final NDArray downWeight; // [hidden, intermediate]

  public FeedForward(LlamaConfig config, NDArray gateUpWeight, NDArray downWeight) {
    this.intermediate = config.intermediateSize();
    this.gateUpWeight = gateUpWeight;
    this.downWeight = downWeight;
  }

  /** {@code x}: [batch, tokens, hidden], already normalised; returns the same shape. */
  public NDArray forward(NDArray x) {
    NDList gateUp = Linear.linear(x, gateUpWeight).singletonOrThrow().split(new long[] {intermediate}, 2);
    NDArray gate = gateUp.get(0); // [b, t, intermediate]
    NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
    return Linear.linear(silu.mul(gateUp.get(1)), downWeight).singletonOrThrow();
  }
}
