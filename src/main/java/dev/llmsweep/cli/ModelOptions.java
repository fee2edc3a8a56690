package dev.llmsweep.cli;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.LocalDevices;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --device} and {@code --dtype}, shared by the commands that run the engine
 * without Spark ({@code generate}, {@code bench-engine}); each command picks its default model.
 */
public final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "tiny, synthetic:<preset> or a Hugging Face directory (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu or gpu:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--dtype",
      defaultValue = "auto",
      description = "auto, float32 or float16 (default: ${DEFAULT-VALUE})")
  String dtype;

  ModelOptions(String defaultModel) {
    this.model = defaultModel;
  }

  /** The device and dtype, checked ({@code --device tpu} is bad input naming what is accepted). */
  ComputeDevice computeDevice() {
    ComputeDevice d = ComputeDevice.parse(device, dtype);
    LocalDevices.require(
        d.name(),
        "--device " + device,
        "--device cpu"
            + (LocalDevices.gpuCount() > 0
                ? " or gpu:0 to gpu:" + (LocalDevices.gpuCount() - 1)
                : ""));
    return d;
  }
}
