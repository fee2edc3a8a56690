package dev.llmsweep.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.job.Point;
import java.io.Serializable;
import java.util.Locale;

/**
 * A point that failed on its executor, as {@code failed/p-<point_id>.json} records it: one flat
 * JSON object with snake_case keys, the parts below side by side (written on the executor, read by
 * the driver and by the {@code failures} view).
 *
 * @param runId the run
 * @param setting which point it was
 * @param placement where it ran
 * @param cause what failed
 */
public record PointFailure(
    String runId,
    @JsonUnwrapped Setting setting,
    @JsonUnwrapped Placement placement,
    @JsonUnwrapped Cause cause)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public String pointId() {
    return setting.pointId();
  }

  /**
   * The point's identity and parameters, as the failures view lists them.
   *
   * @param pointId the point
   * @param experiment its experiment
   * @param model the model name as the job file gives it
   * @param dtype compute dtype
   * @param batchSize the point's batch size
   * @param maxTokens the point's max_tokens
   * @param promptTokens the point's (longest) prompt length
   * @param temperature sampling temperature
   * @param topP nucleus sampling threshold
   * @param topK top-k (0: off)
   * @param seed sampling seed
   */
  public record Setting(
      String pointId,
      String experiment,
      String model,
      String dtype,
      int batchSize,
      int maxTokens,
      int promptTokens,
      double temperature,
      double topP,
      int topK,
      long seed)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public static Setting of(Point p) {
      Point.Shape shape = p.shape();
      SamplingParams s = p.sampling();
      return new Setting(
          p.pointId(),
          p.identity().experiment(),
          p.model().name(),
          p.model().dtype(),
          shape.batchSize(),
          shape.maxTokens(),
          shape.promptTokens(),
          s.temperature(),
          s.topP(),
          s.topK(),
          s.seed());
    }
  }

  /** While doing what the point failed. */
  public enum Phase {
    /** Loading the model. */
    LOAD,
    /** Running the point's calls. */
    GENERATE;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param phase while doing what
   * @param reason why ({@code out_of_memory}, {@code device_error}, {@code timeout} or {@code
   *     error} in the JSON)
   * @param errorClass the exception's class
   * @param message the exception's message (first line of each cause, joined by " <- ")
   * @param failedAt ISO-8601 time of the failure
   * @param elapsedMs how long the point ran before it failed
   * @param modelDiscarded whether the executor closed the model afterwards to free its memory
   */
  public record Cause(
      Phase phase,
      FailureReason reason,
      String errorClass,
      String message,
      String failedAt,
      double elapsedMs,
      boolean modelDiscarded)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
