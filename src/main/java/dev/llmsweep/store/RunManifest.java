package dev.llmsweep.store;

import java.util.List;

/**
 * A run's manifest: what ran, on what, when (driver side). Written as {@code manifest.json} when
 * the run starts (status {@code running}) and again when it ends, and as one row of the
 * {@code runs} table.
 *
 * @param runId the run
 * @param jobName the job's name
 * @param jobFile the job file as given
 * @param jobSha256 hash of the resolved job file
 * @param jobJson the resolved job file
 * @param status {@code running}, {@code completed}, {@code completed_with_failures} (every point
 *     committed or recorded as failed) or {@code failed} (the run itself stopped)
 * @param startedAt ISO-8601 start of this (possibly resumed) attempt of the run
 * @param endedAt ISO-8601 end, null while running
 * @param projectVersion llm-sweep's version
 * @param gitCommit the source commit when known
 * @param sparkMaster the Spark master URL
 * @param sparkVersion Spark's version
 * @param appId the Spark application id
 * @param executors what each executor did
 * @param devices distinct devices points ran on
 * @param djlVersion DJL's version
 * @param pytorchVersion PyTorch's native version (from the executors)
 * @param jvm the driver's JVM
 * @param pointsPlanned points in the plan
 * @param pointsCommitted points committed after this attempt
 * @param pointsRun points this attempt ran
 * @param pointsSkipped points already committed by an earlier attempt (resume)
 * @param pointsFailed points that failed (recorded under {@code failed/}) and are not committed
 * @param metricDefinitions how each metric is derived
 */
public record RunManifest(
    String runId,
    String jobName,
    String jobFile,
    String jobSha256,
    String jobJson,
    String status,
    String startedAt,
    String endedAt,
    String projectVersion,
    String gitCommit,
    String sparkMaster,
    String sparkVersion,
    String appId,
    List<ExecutorSummary> executors,
    List<String> devices,
    String djlVersion,
    String pytorchVersion,
    String jvm,
    int pointsPlanned,
    int pointsCommitted,
    int pointsRun,
    int pointsSkipped,
    int pointsFailed,
    String metricDefinitions) {}
