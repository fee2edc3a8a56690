package dev.llmsweep.spark;

import java.io.Serializable;

/**
 * What a task tells the driver about one point it handled (executor to driver).
 *
 * @param pointId the point
 * @param outcome {@code committed}, {@code already_committed} when another attempt won, or
 *     {@code failed} (recorded under {@code failed/})
 * @param executorId Spark executor id
 * @param host executor host
 * @param jvm pid@host of the executor JVM
 * @param device {@code cpu} or {@code gpu:N}
 * @param deviceName the device's model name
 * @param gpuAddress the GPU address Spark assigned the task, or null
 * @param modelLoaded whether this task loaded the model into the JVM's cache
 * @param loadNanos how long that took
 * @param engineNanos time inside {@code generate}, over all calls
 * @param commitNanos time writing and committing its Parquet files
 * @param taskNanos time from picking the point up to its commit
 * @param generatedTokens tokens generated over all calls
 * @param pytorchVersion the engine's PyTorch version, or null when not the DJL engine
 */
public record PointReport(
    String pointId,
    String outcome,
    String executorId,
    String host,
    String jvm,
    String device,
    String deviceName,
    String gpuAddress,
    boolean modelLoaded,
    long loadNanos,
    long engineNanos,
    long commitNanos,
    long taskNanos,
    long generatedTokens,
    String pytorchVersion) implements Serializable {}
