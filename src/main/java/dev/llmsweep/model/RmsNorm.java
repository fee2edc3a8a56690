package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * RMSNorm: {@code x / sqrt(mean(x^2) + eps) * weight}, with the statistics in float32 as
 * transformers computes them (squares of float16 activations overflow).
 */
public final class RmsNorm {
  private final NDArray weight; // [hidden]
  private final NDArray epsilon; // scalar, float32
  private final NDArray minusHalf; // scalar, float32

  public RmsNorm(NDArray weight, double eps) {
    this.weight = weight;
    this.epsilon = weight.getManager().create((float) eps);
    this.minusHalf = weight.getManager().create(-0.5f);
  }

  /** {@code x}: [..., hidden] in the compute dtype; returns the same shape and dtype. */
  public NDArray forward(NDArray x) {
    DataType dtype = x.getDataType();
    NDArray x32 = x.toType(DataType.FLOAT32, false);
    NDArray variance = x32.square().mean(new int[] {-1}, true); // [..., 1]
    NDArray normed = x32.mul(variance.add(epsilon).pow(minusHalf));
    return normed.toType(dtype, false).mul(weight);
  }
}
