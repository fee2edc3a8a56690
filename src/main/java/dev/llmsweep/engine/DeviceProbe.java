package dev.llmsweep.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.llmsweep.model.torchscript.ScriptDecoder;

/**
 * A short calibration probe of the GPU a loaded model runs on, taken by its executor before and
 * after every point: the device's copy bandwidth (the TorchScript backend's device-to-device
 * copies, as the engine benchmark measures it, on smaller buffers) and the rate of a fixed float16
 * GEMM through DJL, each a few milliseconds on a data-centre GPU. Allocates about 300 MB of device
 * memory while it runs, in a manager of its own on the model's device, closed before it returns.
 */
public final class DeviceProbe {
  /** Bytes per copy buffer: far past the L2 cache (50-60 MB on H100/H200). */
  static final long COPY_BYTES = 128L << 20;

  static final int COPIES = 5;

  /** The GEMM: [N, N] x [N, N] in float16, {@link #GEMMS} times back to back. */
  static final int N = 4096;

  static final int GEMMS = 8;

  private DeviceProbe() {}

  /**
   * One reading.
   *
   * @param copyGbps device-to-device copy bandwidth, bytes read + written, GB/s; NaN when the
   *     backend has no copy kernel
   * @param gemmTflops float16 GEMM rate, TFLOPS
   */
  public record Reading(double copyGbps, double gemmTflops) {}

  /**
   * Measures the generator's device, or returns null when it is not a GPU of the built-in engine.
   */
  public static Reading measure(Generator generator) {
    if (!(generator instanceof LlamaGenerator llama) || !llama.model().device().isGpu()) {
      return null;
    }
    double copy = Double.NaN;
    if (llama.model() instanceof ScriptDecoder script) {
      copy = 2.0 * COPY_BYTES / script.copySeconds(COPY_BYTES, COPIES) / 1e9;
    }
    try (NDManager m = NDManager.newBaseManager(llama.model().device())) {
      return new Reading(copy, gemmTflops(m));
    }
  }

  /**
   * TFLOPS of {@link #GEMMS} float16 GEMMs of {@link #N}, after one unmeasured (cuBLAS picks its
   * kernel).
   */
  static double gemmTflops(NDManager parent) {
    try (NDManager m = parent.newSubManager()) {
      NDArray a = m.randomUniform(-1f, 1f, new Shape(N, N)).toType(DataType.FLOAT16, false);
      NDArray b = m.randomUniform(-1f, 1f, new Shape(N, N)).toType(DataType.FLOAT16, false);
      sync(a.matMul(b));
      long start = System.nanoTime();
      NDArray c = null;
      for (int i = 0; i < GEMMS; i++) {
        c = a.matMul(b);
      }
      sync(c);
      double seconds = (System.nanoTime() - start) / 1e9;
      return 2.0 * N * N * N * GEMMS / seconds / 1e12;
    }
  }

  /** Waits for the device: a host copy of one element waits for every kernel queued before it. */
  private static void sync(NDArray x) {
    x.get(0, 0).toType(DataType.FLOAT32, false).toFloatArray();
  }
}
