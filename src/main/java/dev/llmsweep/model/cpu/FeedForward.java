package dev.llmsweep.model.cpu;

import dev.llmsweep.model.LlamaConfig;

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

  /** {@code x} [rows, hidden], already normalised; returns [rows, hidden]. */
  float[] forward(float[] x, int rows) {
    float[] gated = HostOps.swiGlu(gateUp.multiply(x, rows), intermediate); // [rows, intermediate]
    return down.multiply(gated, rows);
  }
}
