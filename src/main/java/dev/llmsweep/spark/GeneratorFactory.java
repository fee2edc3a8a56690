package dev.llmsweep.spark;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.errors.BadInputException;

/**
 * Loads a model onto a device (executor side). The real one is {@link DjlGenerators}; the Spark
 * property {@code spark.llmsweep.generatorFactory} names another class (with a public no-argument
 * constructor), which tests of Spark plumbing use to run without the engine.
 */
public interface GeneratorFactory {
  String PROPERTY = "spark.llmsweep.generatorFactory";

  Generator load(String model, ComputeDevice device);

  /** The PyTorch version the loaded generators run on, for the records; null when there is none. */
  default String pytorchVersion() {
    return null;
  }

  /**
   * The JIT compile time the warm-ups wait out ({@link JitClock}): the JVM's; a fake engine whose
   * timestamps are made up answers {@link JitClock#NONE}.
   */
  default JitClock jitClock() {
    return JitClock.JVM;
  }

  /**
   * The calibration probes and device telemetry taken around each point ({@link EnvironmentWatch}):
   * the real ones; a test factory may return readings of its choosing.
   */
  default EnvironmentProbes probes() {
    return EnvironmentProbes.REAL;
  }

  /** Instantiates the named factory, or the DJL one when the name is null or empty. */
  static GeneratorFactory named(String className) {
    if (className == null || className.isBlank()) {
      return new DjlGenerators();
    }
    try {
      return (GeneratorFactory) Class.forName(className).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new BadInputException(
          PROPERTY
              + "="
              + className
              + " is not a GeneratorFactory with a public"
              + " no-argument constructor: "
              + e,
          e);
    }
  }
}
