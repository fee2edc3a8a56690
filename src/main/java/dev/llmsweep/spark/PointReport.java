package dev.llmsweep.spark;

import dev.llmsweep.store.Placement;
import dev.llmsweep.store.PointEnvironment;
import java.io.Serializable;

/**
 * What a task tells the driver about one point it handled (executor to driver).
 *
 * @param pointId the point
 * @param outcome what became of it
 * @param placement where it ran
 * @param load the model load this point caused, if any
 * @param work what running it took (only the task's time when it did not run)
 * @param pytorchVersion the engine's PyTorch version, or null when not the DJL engine
 * @param environment the point's probes (without its telemetry samples), null when it did not run
 */
public record PointReport(
    String pointId,
    Outcome outcome,
    Placement placement,
    ModelLoad load,
    Work work,
    String pytorchVersion,
    PointEnvironment environment)
    implements Serializable {
  private static final long serialVersionUID = 2L;

  /** A point that ran no probes (skipped, or failed). */
  public PointReport(
      String pointId,
      Outcome outcome,
      Placement placement,
      ModelLoad load,
      Work work,
      String pytorchVersion) {
    this(pointId, outcome, placement, load, work, pytorchVersion, null);
  }

  /** What became of a point in this task. */
  public enum Outcome {
    /** Ran and committed by this task. */
    COMMITTED,
    /** Committed by another attempt (found before running, or when committing). */
    ALREADY_COMMITTED,
    /** Failed, recorded under {@code failed/}. */
    FAILED
  }

  /**
   * @param loaded whether this task loaded the model into the JVM's cache
   * @param nanos how long that took
   */
  public record ModelLoad(boolean loaded, long nanos) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final ModelLoad NONE = new ModelLoad(false, 0);
  }

  /**
   * @param engineNanos time inside {@code generate}, over all calls
   * @param commitNanos time writing and committing its Parquet files
   * @param taskNanos time from picking the point up to its commit (or failure)
   * @param generatedTokens tokens generated over all calls
   */
  public record Work(long engineNanos, long commitNanos, long taskNanos, long generatedTokens)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No engine work: only the task's own time (a point skipped or failed). */
    public static Work idle(long taskNanos) {
      return new Work(0, 0, taskNanos, 0);
    }
  }
}
