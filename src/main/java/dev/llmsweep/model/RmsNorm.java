package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * RMSNorm without its gain: {@code x / sqrt(mean(x^2) + eps)}, with the statistics in float32 as
 * transformers computes them (squares of float16 activations overflow). The gain vector is folded
 * into the columns of the projection that follows (see {@link ModelLoader}), which saves one
 * elementwise pass per norm.
 */
public final class RmsNorm {
  private final NDArray epsilon; // scalar, float32
  private final NDArray minusHalf; // scalar, float32
  private final boolean float32; // compute dtype is float32: no casts needed
  private final float eps;

  public RmsNorm(NDManager manager, double eps, DataType dtype) {
    this.epsilon = manager.create((float) eps);
    this.minusHalf = manager.create(-0.5f);
    this.float32 = dtype == DataType.FLOAT32;
    this.eps = (float) eps;
  }

  /** The CPU kernels' norm: {@code x} [rows, hidden] float32; returns a new array. */
  float[] forwardOnHost(float[] x, int hidden) {
    return HostOps.rmsNorm(x, hidden, eps);
  }

  /** {@code x}: [..., hidden] in the compute dtype; returns the same shape and dtype. */
  public NDArray forward(NDArray x) {
    NDArray x32 = float32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray variance = x32.square().mean(new int[] {-1}, true); // [..., 1]
    NDArray normed = x32.mul(variance.add(epsilon).pow(minusHalf));
    return float32 ? normed : normed.toType(x.getDataType(), false);
  }

  /** {@code weight} [out, hidden] times the gain {@code gain} [hidden] along its columns. */
  public static NDArray foldGain(NDArray weight, NDArray gain) {
    return weight.mul(gain); // broadcast over rows
  }
}
