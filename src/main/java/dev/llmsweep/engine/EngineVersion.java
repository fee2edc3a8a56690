package dev.llmsweep.engine;

import ai.djl.engine.Engine;

/**
 * DJL's and PyTorch's versions as this JVM sees them (driver or executor): asked of DJL's engine
 * registry, which only answers once the engine has loaded its natives; null when it cannot.
 */
public final class EngineVersion {
  private EngineVersion() {}

  /** PyTorch's version, or null when the PyTorch engine has not loaded (or cannot). */
  public static String pytorch() {
    try {
      return Engine.getEngine("PyTorch").getVersion();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** DJL's version, or null when DJL is not on the classpath. */
  public static String djl() {
    try {
      return Engine.getDjlVersion();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
