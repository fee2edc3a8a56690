package dev.llmsweep.store;

import java.io.Serializable;

/**
 * A point that failed on its executor, as {@code failed/p-<point_id>.json} records it (written on
 * the executor, read by the driver and by the {@code failures} view).
 *
 * @param runId the run
 * @param pointId the point
 * @param experiment its experiment
 * @param model the model name as the job file gives it
 * @param dtype compute dtype
 * @param device {@code cpu} or {@code gpu:N}
 * @param batchSize the point's batch size
 * @param maxTokens the point's max_tokens
 * @param promptTokens the point's (longest) prompt length
 * @param temperature sampling temperature
 * @param topP nucleus sampling threshold
 * @param topK top-k (0: off)
 * @param seed sampling seed
 * @param phase {@code load} (loading the model) or {@code generate} (running the point's calls)
 * @param reason {@code out_of_memory}, {@code device_error}, {@code timeout} or {@code error}
 * @param errorClass the exception's class
 * @param message the exception's message (first line of each cause, joined by " <- ")
 * @param executorId Spark executor id
 * @param host executor host
 * @param failedAt ISO-8601 time of the failure
 * @param elapsedMs how long the point ran before it failed
 * @param modelDiscarded whether the executor closed the model afterwards to free its memory
 */
public record PointFailure(
    String runId,
    String pointId,
    String experiment,
    String model,
    String dtype,
    String device,
    int batchSize,
    int maxTokens,
    int promptTokens,
    double temperature,
    double topP,
    int topK,
    long seed,
    String phase,
    String reason,
    String errorClass,
    String message,
    String executorId,
    String host,
    String failedAt,
    double elapsedMs,
    boolean modelDiscarded) implements Serializable {
  private static final long serialVersionUID = 1L;
}
