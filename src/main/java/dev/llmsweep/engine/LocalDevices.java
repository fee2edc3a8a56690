package dev.llmsweep.engine;

import ai.djl.util.cuda.CudaUtils;
import dev.llmsweep.errors.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices of the machine this JVM runs on (the CUDA runtime's GPU count, read without loading
 * PyTorch), so that a GPU asked for where there is none is bad input with one line naming what was
 * found, not PyTorch's dispatcher dump on the first tensor.
 */
public final class LocalDevices {
  private LocalDevices() {}

  /** GPUs the CUDA runtime sees here (0 without CUDA). */
  public static int gpuCount() {
    try {
      return CudaUtils.hasCuda() ? CudaUtils.getGpuCount() : 0;
    } catch (RuntimeException | LinkageError e) {
      return 0;
    }
  }

  /** "cpu, gpu:0, gpu:1": what this machine offers. */
  public static String found() {
    List<String> out = new ArrayList<>(List.of("cpu"));
    for (int i = 0; i < gpuCount(); i++) {
      out.add("gpu:" + i);
    }
    return String.join(", ", out);
  }

  /**
   * Checks that {@code device} ({@code cpu}, {@code gpu}, {@code gpu:N}) exists here; {@code what}
   * names where it was asked for (an option or a job file's key).
   */
  public static void require(String device, String what, String accepted) {
    if (device == null || device.equals("cpu")) {
      return;
    }
    int index =
        device.equals("gpu") ? 0 : Integer.parseInt(device.substring(device.indexOf(':') + 1));
    int gpus = gpuCount();
    if (index >= gpus) {
      throw new BadInputException(
          what
              + ": "
              + (gpus == 0 ? "no GPU on this machine" : "no " + device + " on this machine")
              + " (devices found: "
              + found()
              + "); accepted: "
              + accepted);
    }
  }
}
