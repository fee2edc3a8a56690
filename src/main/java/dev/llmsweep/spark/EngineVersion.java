package dev.llmsweep.spark;

/**
 * DJL's and PyTorch's versions as the executor sees them (either side): asked of DJL's engine
 * registry, which only answers once the engine has loaded its natives.
 */
final class EngineVersion {
  private EngineVersion() {}

  static String pytorch(GeneratorFactory factory) {
    if (!(factory instanceof DjlGenerators)) {
      return null;
    }
    try {
      return ai.djl.engine.Engine.getEngine("PyTorch").getVersion();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String djl() {
    try {
      return ai.djl.engine.Engine.getDjlVersion();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
