package dev.llmsweep.store;

import java.io.Serializable;

/**
 * Where a point ran (made on the executor, carried by its raw rows, its report to the driver and
 * its failure record).
 *
 * @param executorId Spark executor id ({@code driver} in local mode)
 * @param host executor host
 * @param jvm pid@host of the executor JVM: a replaced executor is a new JVM
 * @param device {@code cpu} or {@code gpu:N}
 * @param deviceName the device's model name (the GPU's, or the CPU's)
 * @param gpuAddress the GPU address Spark assigned the task, or null without GPU scheduling
 */
public record Placement(
    String executorId, String host, String jvm, String device, String deviceName, String gpuAddress)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
