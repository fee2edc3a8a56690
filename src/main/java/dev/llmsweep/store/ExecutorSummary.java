package dev.llmsweep.store;

import java.util.List;

/**
 * What one executor JVM did in a run, for the manifest (made on the driver from the tasks'
 * reports).
 *
 * @param executorId Spark executor id ({@code driver} in local mode)
 * @param host its host
 * @param jvm an id of the JVM (pid@host): a replaced executor is a new JVM
 * @param devices the devices its points ran on ({@code cpu}, {@code gpu:N})
 * @param deviceNames their names
 * @param gpuAddresses the GPU addresses Spark assigned its tasks (empty without GPU scheduling)
 * @param points points it ran and committed
 * @param modelLoads models it loaded for this run (its per-JVM cache loads each once)
 * @param modelLoadMs time spent loading them
 * @param pytorchVersion the PyTorch native library its engine loaded
 */
public record ExecutorSummary(
    String executorId,
    String host,
    String jvm,
    List<String> devices,
    List<String> deviceNames,
    List<String> gpuAddresses,
    int points,
    int modelLoads,
    double modelLoadMs,
    String pytorchVersion) {}
