package dev.llmsweep.spark;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.EngineVersion;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.Generator;

/** The real engine: DJL PyTorch through {@link Engines#load} (executor side). */
public final class DjlGenerators implements GeneratorFactory {
  @Override
  public Generator load(String model, ComputeDevice device) {
    return Engines.load(model, device);
  }

  @Override
  public String pytorchVersion() {
    return EngineVersion.pytorch();
  }
}
