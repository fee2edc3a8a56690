package dev.llmsweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.RunEndedException;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.RunIds;
import dev.llmsweep.store.AttemptCounts;
import dev.llmsweep.store.ManifestFiles;
import dev.llmsweep.store.PointFailure;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunLayout;
import dev.llmsweep.store.RunManifest;
import dev.llmsweep.store.RunManifest.Status;
import dev.llmsweep.store.RunStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs a plan on Spark (driver side). Skips points the run already committed (resume), runs the
 * rest as one Spark job per (model, dtype) so executors load each model once and hold one at a
 * time, one task per point, and has {@link SweepAttempt} write the run manifest when the run starts
 * and ends. A point that fails on its executor is recorded ({@code failed/p-<point_id>.json}) and
 * the sweep goes on; the run then ends {@code completed_with_failures}, and resuming it retries
 * those points. A run id belongs to one job file: resuming it with a different one is refused.
 */
public final class SweepJob {
  private final SparkSession spark;
  private final RunStore store;
  private final Options options;

  /**
   * @param runId the run to create or resume; null for a new run
   * @param generatorFactory a {@link GeneratorFactory} class name, null for the DJL engine
   * @param console where the progress line goes
   * @param projectVersion llm-sweep's version, for the manifest
   * @param gitCommit the source commit, or null
   */
  public record Options(
      String runId,
      String generatorFactory,
      PrintStream console,
      String projectVersion,
      String gitCommit) {}

  /**
   * What a run did.
   *
   * @param run the run
   * @param skipped points already committed before this attempt
   * @param reports one per point this attempt ran
   * @param firstTaskMillis wall-clock millis when the first point's task launched
   * @param lastTaskMillis wall-clock millis when the last point's task finished
   * @param manifest the final manifest
   * @param failures the run's points that failed and are not committed
   */
  public record Result(
      Run run,
      int skipped,
      List<PointReport> reports,
      long firstTaskMillis,
      long lastTaskMillis,
      RunManifest manifest,
      List<PointFailure> failures) {
    public String runId() {
      return run.id();
    }
  }

  public SweepJob(SparkSession spark, RunStore store, Options options) {
    this.spark = spark;
    this.store = store;
    this.options = options;
  }

  public Result run(Plan plan) throws IOException {
    Run run =
        options.runId() == null
            ? store.claimNewRun()
            : store.at(RunIds.check(options.runId(), "--run-id"));
    String runId = run.id();
    String started = Instant.now().toString();
    List<RunManifest.Attempt> earlier = List.of();
    Set<String> committed = run.committedPoints();
    if (options.runId() != null && run.exists()) {
      requireSameJob(plan, run);
      // points an executor committed after the last attempt's record count for that attempt
      earlier = AttemptCounts.reconcile(run, ManifestFiles.readAttempts(run), committed);
    }
    List<Point> todo =
        plan.points().stream().filter(p -> !committed.contains(p.pointId())).toList();
    int skipped = plan.points().size() - todo.size();
    PrintStream out = options.console();
    run.createDirs(); // the failures and comparisons views read them, also while they are empty
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ExecutorWatch watch = ExecutorWatch.start(sc.sc(), out);
    SweepAttempt attempt =
        new SweepAttempt(sc.sc(), options, plan, run, started, earlier, committed, watch);
    ManifestFiles.write(
        run,
        attempt.manifest(Status.RUNNING, null, List.of(), attempt.counts(committed, List.of())));
    out.printf(
        "[llm-sweep] run %s: %d points (%d already committed), results in %s%n",
        runId, todo.size(), skipped, run.dir());
    LongAccumulator tokens = sc.sc().longAccumulator("llm-sweep generated tokens");
    CollectionAccumulator<PointReport> finished =
        sc.sc().collectionAccumulator("llm-sweep point reports");
    ProgressListener progress =
        new ProgressListener(
            out, todo.size(), todo.stream().mapToLong(Point::maxGeneratedTokens).sum(), tokens);
    sc.sc().addSparkListener(progress);
    Map<String, String> hadoop = hadoopOverrides(store.conf());
    RunPointsFunction function =
        new RunPointsFunction(
            runId,
            run.committer(),
            run.failures(),
            hadoop,
            options.generatorFactory(),
            tokens,
            finished,
            todo);
    List<PointReport> reports = new ArrayList<>();
    // a driver ended another way (a second signal, System.exit) still records what this attempt
    // committed
    Thread onExit =
        new Thread(
            () ->
                attempt.endQuietly(
                    StopSignal.requested() ? Status.STOPPED : Status.FAILED, finished),
            "llm-sweep-manifest-on-exit");
    Runtime.getRuntime().addShutdownHook(onExit);
    try {
      int group = 0;
      for (List<Point> points : byModel(todo).values()) {
        if (StopSignal.requested() || watch.failure() != null) {
          break;
        }
        progress.register(group, points);
        Point.ModelChoice model = points.get(0).model();
        try (JobGroup g =
            JobGroup.set(
                sc.sc(),
                "llm-sweep-" + runId,
                "llm-sweep "
                    + plan.job().name()
                    + " run "
                    + runId
                    + ": "
                    + points.size()
                    + " points of "
                    + model.name()
                    + " ("
                    + model.dtype()
                    + ")",
                true,
                Map.of(ProgressListener.GROUP_PROPERTY, Integer.toString(group++)))) {
          reports.addAll(sc.parallelize(points, points.size()).mapPartitions(function).collect());
        }
      }
    } catch (Exception e) {
      // a failed or cancelled Spark job (SparkException, which Java does not see as checked)
      if (!StopSignal.requested() && watch.failure() == null) {
        attempt.endQuietly(Status.FAILED, finished);
        throw e;
      }
    } finally {
      // the listener bus is asynchronous: let it deliver the last task events before detaching
      progress.awaitDone(reports.size(), 2000);
      if (StopSignal.requested() || watch.failure() != null) {
        // cancelled tasks are interrupted: their ends (and any commit just before) come first
        progress.awaitIdle(15_000);
      }
      sc.sc().removeSparkListener(progress);
      watch.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
    if (StopSignal.requested() || watch.failure() != null) {
      boolean stopped = StopSignal.requested();
      RunManifest m = attempt.end(stopped ? Status.STOPPED : Status.FAILED, finished.value());
      String resume =
          "resume with ./submit "
              + plan.job().file()
              + " --results "
              + store.root()
              + " --run-id "
              + runId;
      throw new RunEndedException(
          (stopped ? "" : watch.failure() + "; ")
              + m.points().committed()
              + " of "
              + m.points().planned()
              + " points committed; "
              + resume
              + (stopped ? "" : " once the workers are back"),
          stopped);
    }
    RunManifest m = attempt.end(null, reports);
    if (m.status() == Status.FAILED) {
      Set<String> now = run.committedPoints();
      List<String> missing =
          plan.points().stream().map(Point::pointId).filter(id -> !now.contains(id)).toList();
      throw new IllegalStateException(
          "run "
              + runId
              + " finished with points not committed: "
              + missing
              + "; resume it with --run-id "
              + runId);
    }
    run.deleteAttempts();
    return new Result(
        run,
        skipped,
        List.copyOf(reports),
        progress.firstLaunchMillis(),
        progress.lastFinishMillis(),
        m,
        SweepAttempt.failures(run, run.committedPoints()));
  }

  /** Refuses to resume a run with a job file other than the one that started it. */
  private static void requireSameJob(Plan plan, Run run) throws IOException {
    JsonNode manifest = run.manifest();
    if (manifest == null) {
      // a run another tool wrote (raw/ only) was not started by any job file
      throw new FileNotFoundException("File " + RunLayout.manifest(run.dir()) + " does not exist");
    }
    String runId = run.id();
    String recorded = manifest.path("job_sha256").asText("");
    if (!recorded.equals(plan.job().sha256())) {
      throw new BadInputException(
          "--run-id "
              + runId
              + ": that run was started by job file "
              + manifest.path("job_file").asText("?")
              + " (sha256 "
              + abbreviate(recorded)
              + "), and "
              + plan.job().file()
              + " resolves to a different job (sha256 "
              + abbreviate(plan.job().sha256())
              + "); a run holds the points of one job file, and its committed results are never mixed with another's."
              + " To run this job file as a new run, leave out --run-id (a fresh run id is made); to resume "
              + runId
              + ", use its job file unchanged");
    }
  }

  private static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) + "..." : sha.isEmpty() ? "unknown" : sha;
  }

  /**
   * The driver's Hadoop settings that differ from a fresh {@code Configuration}: all an executor
   * needs to reach the same filesystem, and a few entries instead of hundreds in every task.
   */
  static Map<String, String> hadoopOverrides(org.apache.hadoop.conf.Configuration conf) {
    org.apache.hadoop.conf.Configuration defaults = new org.apache.hadoop.conf.Configuration();
    Map<String, String> out = new HashMap<>();
    conf.forEach(
        e -> {
          if (!e.getValue().equals(defaults.getRaw(e.getKey()))) {
            out.put(e.getKey(), e.getValue());
          }
        });
    return out;
  }

  /** Points grouped by (model, dtype), groups in the order their first point appears. */
  static Map<String, List<Point>> byModel(List<Point> points) {
    Map<String, List<Point>> out = new LinkedHashMap<>();
    for (Point p : points) {
      out.computeIfAbsent(p.model().name() + "|" + p.model().dtype(), k -> new ArrayList<>())
          .add(p);
    }
    return out;
  }
}
