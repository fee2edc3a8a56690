package dev.llmsweep.engine;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.llmsweep.errors.BadInputException;

/**
 * Where a model runs and in which dtype: {@code cpu} computes in float32, {@code gpu:N} in float16
 * (bfloat16 has no mapping in DJL 0.36's native layer).
 *
 * @param name {@code cpu} or {@code gpu:N}
 * @param dtype {@code float32} or {@code float16}
 */
public record ComputeDevice(String name, String dtype) {

  /** Parses a device name and a dtype ({@code auto} picks the device's default). */
  public static ComputeDevice parse(String device, String dtype) {
    String d = device == null || device.isBlank() ? "cpu" : device.trim();
    if (!d.equals("cpu") && !d.matches("gpu(:\\d+)?")) {
      throw new BadInputException(
          "device '" + device + "' is not valid: accepted are cpu, gpu, gpu:N");
    }
    if (d.equals("gpu")) {
      d = "gpu:0";
    }
    String t =
        dtype == null || dtype.isBlank() ? "auto" : dtype.trim().toLowerCase(java.util.Locale.ROOT);
    t =
        switch (t) {
          case "auto" -> d.equals("cpu") ? "float32" : "float16";
          case "float32", "fp32", "f32" -> "float32";
          case "float16", "fp16", "f16", "half" -> "float16";
          case "bfloat16", "bf16" ->
              throw new BadInputException(
                  "dtype bfloat16 is not supported by DJL 0.36's"
                      + " native layer: use float16 on GPU (same speed) or float32 on CPU; bf16 checkpoints are converted");
          default ->
              throw new BadInputException(
                  "dtype '" + dtype + "' is not valid: accepted are auto, float32, float16");
        };
    if (d.equals("cpu") && t.equals("float16")) {
      throw new BadInputException(
          "dtype float16 on cpu is not supported: PyTorch's CPU half kernels are slow"
              + " and incomplete; use float32 (or auto)");
    }
    return new ComputeDevice(d, t);
  }

  public static ComputeDevice cpu() {
    return new ComputeDevice("cpu", "float32");
  }

  public Device djlDevice() {
    return name.equals("cpu") ? Device.cpu() : Device.gpu(Integer.parseInt(name.substring(4)));
  }

  public DataType djlType() {
    return dtype.equals("float16") ? DataType.FLOAT16 : DataType.FLOAT32;
  }
}
