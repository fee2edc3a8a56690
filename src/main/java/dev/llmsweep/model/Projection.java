package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;

/**
 * A bias-free linear layer {@code y = x W^T}: on {@link HostMatmul} when the model runs on the CPU
 * kernels (CPU, float32), whose PyTorch copy of the weight is then released once packed so the
 * weights are held once; on PyTorch otherwise.
 */
public final class Projection {
  private final NDArray weight; // [out, in]; null once packed for the host kernel
  private final HostMatmul host; // null: PyTorch only

  public Projection(NDArray weight, boolean useHostKernel) {
    long[] s = weight.getShape().getShape();
    if (useHostKernel) {
      if (weight.getDataType() != DataType.FLOAT32 || !weight.getDevice().getDeviceType().equals("cpu")) {
        throw new IllegalStateException("the CPU kernels take float32 weights on the CPU, not "
            + weight.getDataType() + " on " + weight.getDevice());
      }
      this.host = new HostMatmul(weight.toFloatArray(), (int) s[0], (int) s[1]);
      weight.close();
      this.weight = null;
    } else {
      this.host = null;
      this.weight = weight;
    }
  }

  /**
   * Whether the host kernel can run: the Vector API module is present (the launcher adds {@code
   * --add-modules jdk.incubator.vector}) and not switched off with {@code -Dllmsweep.hostKernel=false}.
   * Checked here, not in {@link HostMatmul}, whose class cannot load without the module.
   */
  public static boolean hostKernelAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !"false".equals(System.getProperty("llmsweep.hostKernel"));
  }

  /** Whether this projection runs on the host kernel. */
  public boolean usesHostKernel() {
    return host != null;
  }

  /** Host kernel only: {@code x} [rows, in]; returns [rows, out]. */
  float[] multiply(float[] x, int rows) {
    return host.multiply(x, rows);
  }

  /** PyTorch path only: {@code x} [..., in]; returns [..., out]. */
  public NDArray forward(NDArray x) {
    if (host != null) {
      throw new IllegalStateException("this projection is packed for the CPU kernels: call multiply");
    }
    return Linear.linear(x, weight).singletonOrThrow();
  }
}
