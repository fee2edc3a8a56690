package dev.llmsweep.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;

/**
 * A job group for the Spark jobs a block starts, so the Spark UI says what is running; closing it
 * restores the thread's previous group (and any extra local properties) instead of clearing it
 * (driver side; as Iceberg's {@code JobGroupUtils.withJobGroupInfo}): an aggregation started inside
 * another command's group leaves that group in place for the jobs that follow.
 *
 * <pre>
 * {@code try (JobGroup g = JobGroup.set(sc, "aggregate-" + run, "llm-sweep: aggregate ...")) { ... }}
 * </pre>
 */
public final class JobGroup implements AutoCloseable {
  private static final List<String> KEYS =
      List.of("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel");

  private final SparkContext sc;
  private final Map<String, String> saved = new LinkedHashMap<>();

  private JobGroup(SparkContext sc, List<String> keys) {
    this.sc = sc;
    for (String key : keys) {
      saved.put(key, sc.getLocalProperty(key));
    }
  }

  /** Sets the group; tasks are not interrupted on cancel. */
  public static JobGroup set(SparkContext sc, String id, String description) {
    return set(sc, id, description, false, Map.of());
  }

  /**
   * Sets the group and {@code extra} local properties (e.g. the progress listener's group number);
   * {@link #close} restores all of them.
   */
  public static JobGroup set(
      SparkContext sc,
      String id,
      String description,
      boolean interruptOnCancel,
      Map<String, String> extra) {
    List<String> keys = new ArrayList<>(KEYS);
    keys.addAll(extra.keySet());
    JobGroup g = new JobGroup(sc, keys);
    sc.setJobGroup(id, description, interruptOnCancel);
    extra.forEach(sc::setLocalProperty);
    return g;
  }

  @Override
  public void close() {
    saved.forEach(sc::setLocalProperty);
  }
}
