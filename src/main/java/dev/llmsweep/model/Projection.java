package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * A bias-free linear layer {@code y = x W^T}. On CPU in float32, calls with at most {@value
 * #HOST_MAX_ROWS} rows (small-batch decode) go through {@link HostGemv}, the rest (prefill, larger
 * batches) through PyTorch's GEMM.
 */
public final class Projection {
  static final int HOST_MAX_ROWS = 8;
  /** Below this many weights (1 MB of float32) PyTorch's call overhead is smaller than the kernel's. */
  static final long HOST_MIN_WEIGHTS = 1L << 18;
  private final NDArray weight; // [out, in]
  private final HostGemv host; // null: PyTorch only

  public Projection(NDArray weight, boolean useHostKernel) {
    this.weight = weight;
    long[] s = weight.getShape().getShape();
    boolean eligible = useHostKernel && weight.getDataType() == DataType.FLOAT32
        && weight.getDevice().getDeviceType().equals("cpu") && s[0] % HostGemv.ROWS == 0
        && s[0] * s[1] >= HOST_MIN_WEIGHTS;
    this.host = eligible ? new HostGemv(weight.toFloatArray(), (int) s[0], (int) s[1]) : null;
  }

  /**
   * Whether the host kernel can run: the Vector API module is present (the launcher adds {@code
   * --add-modules jdk.incubator.vector}) and not switched off with {@code -Dllmsweep.hostGemv=false}.
   * Checked here, not in {@link HostGemv}, whose class cannot load without the module.
   */
  public static boolean hostKernelAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !"false".equals(System.getProperty("llmsweep.hostGemv"));
  }

  /** Whether a call with {@code rows} rows goes through the host kernel. */
  public boolean usesHostKernel(long rows) {
    return host != null && rows <= HOST_MAX_ROWS;
  }

  public NDArray weight() {
    return weight;
  }

  /** {@code x}: [..., in]; returns [..., out]. */
  public NDArray forward(NDArray x) {
    if (host != null) {
      Shape shape = x.getShape();
      long rows = shape.size() / host.cols();
      if (usesHostKernel(rows)) {
        float[] y = host.multiply(x.toFloatArray(), (int) rows);
        long[] dims = shape.getShape().clone();
        dims[dims.length - 1] = host.rows();
        return x.getManager().create(y, new Shape(dims));
      }
    }
    return Linear.linear(x, weight).singletonOrThrow();
  }
}
