package dev.llmsweep.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The run-to-run spread of each point's figures (driver side): the same point (same {@code
 * point_id}: the same job's same axes and model) measured by the run and by up to {@link
 * #EARLIER_RUNS} earlier runs of its job ({@code job_name} in the manifests, started before it,
 * with an up-to-date {@code points} table) under the same results root. Later runs are left out so
 * that a run's answer does not change when the job runs again. Unstable points of the earlier runs
 * are left out, as they are of every answer.
 *
 * @param job the run's job, null when it has no manifest
 * @param runs the earlier runs read, oldest first (empty: the intervals are the run's own)
 * @param byPoint every earlier stable figure of each point
 */
public record RunSpread(String job, List<String> runs, Map<String, List<Figures>> byPoint) {
  /**
   * How many earlier runs of the job are read at most: the latest ones (a nightly job piles up
   * runs).
   */
  public static final int EARLIER_RUNS = 10;

  /**
   * A point's figures in one earlier run: p50 and p99 batch latency in seconds, output tokens per
   * second.
   */
  public record Figures(double latencyP50S, double latencyP99S, double throughput) {}

  /** No earlier runs: the intervals are the run's own. */
  public static RunSpread none(String job) {
    return new RunSpread(job, List.of(), Map.of());
  }

  /** The earlier runs of {@code run}'s job under its results root and their figures. */
  public static RunSpread of(SparkSession spark, Run run) {
    RunStore store = run.store();
    JsonNode own = run.manifest();
    if (own == null || !own.hasNonNull("started_at")) {
      return none(null);
    }
    String job = own.path("job_name").asText();
    Instant started = Instant.parse(own.path("started_at").asText());
    List<Map.Entry<Instant, Run>> earlier = new ArrayList<>();
    for (String id : store.runs()) {
      Run other = store.at(id);
      JsonNode m = id.equals(run.id()) ? null : other.manifest();
      if (m != null && job.equals(m.path("job_name").asText()) && m.hasNonNull("started_at")) {
        Instant t = Instant.parse(m.path("started_at").asText());
        if (t.isBefore(started) && other.pointsUpToDate()) {
          earlier.add(Map.entry(t, other));
        }
      }
    }
    earlier.sort(Map.Entry.comparingByKey(Comparator.reverseOrder()));
    List<Run> runs =
        new ArrayList<>(earlier.stream().limit(EARLIER_RUNS).map(Map.Entry::getValue).toList());
    java.util.Collections.reverse(runs);
    if (runs.isEmpty()) {
      return none(job);
    }
    String[] paths = runs.stream().map(r -> r.pointsTable().toString()).toArray(String[]::new);
    List<Row> rows =
        spark
            .read()
            .option("mergeSchema", "true")
            .parquet(paths)
            .where("NOT unstable AND batch_p50_ms IS NOT NULL AND output_tokens_per_s IS NOT NULL")
            .selectExpr(
                "point_id", "batch_p50_ms / 1000", "batch_p99_ms / 1000", "output_tokens_per_s")
            .collectAsList();
    Map<String, List<Figures>> byPoint = new HashMap<>();
    for (Row r : rows) {
      byPoint
          .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(
              new Figures(
                  r.getDouble(1), r.isNullAt(2) ? r.getDouble(1) : r.getDouble(2), r.getDouble(3)));
    }
    return new RunSpread(job, runs.stream().map(Run::id).toList(), byPoint);
  }

  /**
   * The point's earlier figures (none when it was not measured, or unstable, in the earlier runs).
   */
  public List<Figures> of(String pointId) {
    return byPoint.getOrDefault(pointId, List.of());
  }

  /** Where the intervals come from, one line for the console and the report. */
  public String describe() {
    String own = "95% intervals of each point (clustered by generate call)";
    if (job == null) {
      return own
          + "; the run has no manifest, so no earlier run of its job adds its run-to-run spread";
    }
    if (runs.isEmpty()) {
      return own
          + "; no earlier run of job '"
          + job
          + "' under the results root to add the run-to-run spread";
    }
    return own
        + ", widened to take in the same point's figures in "
        + runs.size()
        + " earlier run(s) of job '"
        + job
        + "' ("
        + String.join(", ", runs)
        + ")";
  }
}
