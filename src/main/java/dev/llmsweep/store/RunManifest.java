package dev.llmsweep.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * A run's manifest: what ran, on what, when (driver side). Written as {@code manifest.json} when
 * the run starts (status {@code running}) and again when it ends, and as one row of the {@code
 * runs} table; both are flat, the parts below side by side ({@code job_name}, {@code
 * points_planned}, ...).
 *
 * @param runId the run
 * @param job the job file that started it
 * @param status where the run stands
 * @param startedAt ISO-8601 start of this (possibly resumed) attempt of the run
 * @param endedAt ISO-8601 end, null while running
 * @param software what it ran on
 * @param spark the Spark application
 * @param executors what each executor did, over every attempt of the run
 * @param devices distinct devices points ran on, over every attempt
 * @param points how many points it planned, committed, ran (this attempt), skipped and lost
 * @param metricDefinitions how each metric is derived
 * @param attempts every attempt of the run (a resume is a new attempt), the last one this
 */
public record RunManifest(
    String runId,
    @JsonUnwrapped(prefix = "job_") Job job,
    Status status,
    String startedAt,
    String endedAt,
    @JsonUnwrapped Software software,
    @JsonUnwrapped SparkApp spark,
    List<ExecutorSummary> executors,
    List<String> devices,
    @JsonUnwrapped(prefix = "points_") Points points,
    String metricDefinitions,
    List<Attempt> attempts) {

  /** Where a run stands; written as its lower-case name. */
  public enum Status {
    RUNNING,
    /** Every point committed. */
    COMPLETED,
    /** Every point committed or recorded as failed. */
    COMPLETED_WITH_FAILURES,
    /** The run itself failed (a lost cluster, an error of the driver). */
    FAILED,
    /** The driver was stopped by a signal (SIGTERM, Ctrl-C); resuming the run goes on. */
    STOPPED;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status a manifest's {@code status} names, or null for none (missing, or not one of
     * these).
     */
    public static Status ofLabel(String label) {
      for (Status s : values()) {
        if (s.label().equals(label)) {
          return s;
        }
      }
      return null;
    }
  }

  /**
   * @param name the job's name
   * @param file the job file as given
   * @param sha256 hash of the resolved job file
   * @param json the resolved job file
   */
  public record Job(String name, String file, String sha256, String json) {}

  /**
   * @param projectVersion llm-sweep's version
   * @param gitCommit the source commit when known
   * @param djlVersion DJL's version
   * @param pytorchVersion PyTorch's native version (from the executors)
   * @param jvm the driver's JVM
   */
  public record Software(
      String projectVersion,
      String gitCommit,
      String djlVersion,
      String pytorchVersion,
      String jvm) {}

  /**
   * @param sparkMaster the Spark master URL
   * @param sparkVersion Spark's version
   * @param appId the Spark application id
   */
  public record SparkApp(String sparkMaster, String sparkVersion, String appId) {}

  /**
   * What one attempt of the run did: every start of {@code submit JOB} (a resume included) is one.
   *
   * @param attempt its number, from 1
   * @param startedAt ISO-8601 start
   * @param endedAt ISO-8601 end, null while running
   * @param status where the attempt ended
   * @param sparkMaster the Spark master it ran on
   * @param appId its Spark application
   * @param executors what each executor did in it
   * @param devices distinct devices its points ran on
   * @param pytorchVersion the PyTorch its executors loaded, null when it ran no point
   * @param pointsCommitted points it committed: counted in the store when it ended, and again when
   *     the next attempt starts (an executor may commit after a stopped driver wrote its record)
   * @param pointsFailed points that failed in it
   * @param pointIds the points it committed (null in manifests written before they were recorded)
   * @param executorsLost executors that went away while it ran, with Spark's reason
   * @param executorsAdded the executors it had: those registered when it started, then each that
   *     registered while it ran (after a loss, the replacements)
   * @param environment its points' calibration probes (spread, overhead, points whose environment
   *     changed); null when it ran none (or was recorded before probes existed)
   */
  public record Attempt(
      int attempt,
      String startedAt,
      String endedAt,
      Status status,
      String sparkMaster,
      String appId,
      List<ExecutorSummary> executors,
      List<String> devices,
      String pytorchVersion,
      int pointsCommitted,
      int pointsFailed,
      List<String> pointIds,
      List<ExecutorEvent> executorsLost,
      List<ExecutorEvent> executorsAdded,
      AttemptEnvironment environment) {}

  /**
   * @param planned points in the plan
   * @param committed points committed after this attempt
   * @param run points this attempt committed
   * @param skipped points already committed by an earlier attempt (resume)
   * @param failed points that failed (recorded under {@code failed/}) and are not committed
   */
  public record Points(int planned, int committed, int run, int skipped, int failed) {}
}
