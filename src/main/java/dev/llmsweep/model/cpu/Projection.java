package dev.llmsweep.model.cpu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A bias-free linear layer {@code y = x W^T} on {@link HostMatmul}: its PyTorch copy of the weight
 * is released once packed, so the weights are held once.
 */
public final class Projection {
  private final HostMatmul host;

  /** Packs {@code weight} [out, in] (float32, on the CPU) and closes it. */
  public Projection(NDArray weight) {
    long[] s = weight.getShape().getShape();
    if (weight.getDataType() != DataType.FLOAT32
        || !weight.getDevice().getDeviceType().equals("cpu")) {
      throw new IllegalStateException(
          "the CPU kernels take float32 weights on the CPU, not "
              + weight.getDataType()
              + " on "
              + weight.getDevice());
    }
    this.host = new HostMatmul(weight.toFloatArray(), (int) s[0], (int) s[1]);
    weight.close();
  }

  /**
   * Whether the host kernel can run: the Vector API module is present (the launcher adds {@code
   * --add-modules jdk.incubator.vector}) and not switched off with {@code
   * -Dllmsweep.hostKernel=false}. Checked here, not in {@link HostMatmul}, whose class cannot load
   * without the module.
   */
  public static boolean hostKernelAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !"false".equals(System.getProperty("llmsweep.hostKernel"));
  }

  /** {@code x} [rows, in]; returns [rows, out]. */
  float[] multiply(float[] x, int rows) {
    return host.multiply(x, rows);
  }
}
