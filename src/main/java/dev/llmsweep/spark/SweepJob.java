package dev.llmsweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.engine.EngineVersion;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.RunEndedException;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.RunIds;
import dev.llmsweep.metrics.RequestMetrics;
import dev.llmsweep.spark.PointReport.Outcome;
import dev.llmsweep.store.AttemptCounts;
import dev.llmsweep.store.AttemptEnvironment;
import dev.llmsweep.store.ExecutorSummary;
import dev.llmsweep.store.FailureRecords;
import dev.llmsweep.store.ManifestFiles;
import dev.llmsweep.store.Placement;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs a plan on Spark (driver side). Skips points the run already committed (resume), runs the
 * rest as one Spark job per (model, dtype) so executors load each model once and hold one at a
 * time, one task per point, and writes the run manifest when the run starts and ends. A point that
 * fails on its executor is recorded ({@code failed/p-<point_id>.json}) and the sweep goes on; the
 * run then ends {@code completed_with_failures}, and resuming it retries those points. A run id
 * belongs to one job file: resuming it with a different one is refused.
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
    Attempt attempt = new Attempt(plan, run, started, earlier, committed, watch);
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
        failures(run, run.committedPoints()));
  }

  /**
   * This attempt of a run and its manifest: what it did (executors, devices, points it committed,
   * executors lost and added) beside the run's earlier attempts, and their union at the top. Its
   * counts come from the points committed in the store when it ends. Its end is written once: by
   * the run, or by the shutdown hook of a driver that exited another way.
   */
  private final class Attempt {
    private final Plan plan;
    private final Run run;
    private final String started;
    private final List<RunManifest.Attempt> earlier;
    private final Set<String> before;
    private final ExecutorWatch watch;
    private boolean ended;

    Attempt(
        Plan plan,
        Run run,
        String started,
        List<RunManifest.Attempt> earlier,
        Set<String> before,
        ExecutorWatch watch) {
      this.plan = plan;
      this.run = run;
      this.started = started;
      this.earlier = earlier;
      this.before = Set.copyOf(before);
      this.watch = watch;
    }

    void endQuietly(Status status, CollectionAccumulator<PointReport> finished) {
      try {
        end(status, finished.value());
      } catch (IOException | RuntimeException e) {
        System.err.println("[llm-sweep] cannot record the end of run " + run.id() + ": " + e);
      }
    }

    /**
     * Ends the attempt with the store's committed points; {@code status} null: from the points
     * (completed, completed with failures, or failed when some are neither committed nor recorded).
     */
    synchronized RunManifest end(Status status, List<PointReport> reports) throws IOException {
      if (ended) {
        return null;
      }
      Set<String> now = run.committedPoints();
      Counts counts = counts(now, reports);
      if (status == null) {
        Set<String> failedIds = new TreeSet<>();
        failures(run, now).forEach(f -> failedIds.add(f.pointId()));
        boolean missing =
            plan.points().stream()
                .anyMatch(p -> !now.contains(p.pointId()) && !failedIds.contains(p.pointId()));
        status =
            missing
                ? Status.FAILED
                : failedIds.isEmpty() ? Status.COMPLETED : Status.COMPLETED_WITH_FAILURES;
      }
      RunManifest m = manifest(status, Instant.now().toString(), reports, counts);
      ManifestFiles.write(run, m);
      ended = true;
      return m;
    }

    /**
     * What the store holds: the run's committed points, this attempt's, and its executors' counts.
     */
    record Counts(int committed, List<String> mine, List<ExecutorSummary> executors, int failed) {}

    Counts counts(Set<String> now, List<PointReport> reports) throws IOException {
      Set<String> mine = new TreeSet<>(now);
      mine.removeAll(before);
      List<PointReport> ours =
          reports.stream()
              .filter(r -> r.outcome() != Outcome.COMMITTED || mine.contains(r.pointId()))
              .toList();
      Set<String> unreported = new TreeSet<>(mine);
      ours.stream()
          .filter(r -> r.outcome() == Outcome.COMMITTED)
          .forEach(r -> unreported.remove(r.pointId()));
      return new Counts(
          now.size(),
          List.copyOf(mine),
          AttemptCounts.withUnreported(run, executors(ours), unreported),
          failures(run, now).size());
    }

    RunManifest manifest(Status status, String endedAt, List<PointReport> reports, Counts counts) {
      Set<String> devices = new TreeSet<>();
      reports.forEach(r -> devices.add(r.placement().device()));
      counts.executors().forEach(e -> devices.addAll(e.devices()));
      String pytorch =
          reports.stream()
              .map(PointReport::pytorchVersion)
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(null);
      var sc = spark.sparkContext();
      List<RunManifest.Attempt> attempts = new ArrayList<>(earlier);
      attempts.add(
          new RunManifest.Attempt(
              earlier.size() + 1,
              started,
              endedAt,
              status,
              sc.master(),
              sc.applicationId(),
              counts.executors(),
              List.copyOf(devices),
              pytorch,
              counts.mine().size(),
              counts.failed(),
              counts.mine(),
              watch.lost(),
              watch.added(),
              AttemptEnvironment.of(
                  reports.stream()
                      .filter(r -> r.outcome() == Outcome.COMMITTED)
                      .map(PointReport::environment)
                      .filter(Objects::nonNull)
                      .toList())));
      List<ExecutorSummary> allExecutors = new ArrayList<>();
      Set<String> allDevices = new TreeSet<>();
      String anyPytorch = null;
      for (int i = attempts.size() - 1; i >= 0; i--) {
        RunManifest.Attempt a = attempts.get(i);
        allExecutors.addAll(0, a.executors());
        allDevices.addAll(a.devices());
        anyPytorch = anyPytorch != null ? anyPytorch : a.pytorchVersion();
      }
      return new RunManifest(
          run.id(),
          new RunManifest.Job(
              plan.job().name(), plan.job().file(), plan.job().sha256(), plan.job().resolvedJson()),
          status,
          started,
          endedAt,
          new RunManifest.Software(
              options.projectVersion(),
              options.gitCommit(),
              EngineVersion.djl(),
              anyPytorch,
              System.getProperty("java.vm.name")
                  + " "
                  + System.getProperty("java.runtime.version")),
          new RunManifest.SparkApp(sc.master(), sc.version(), sc.applicationId()),
          allExecutors,
          List.copyOf(allDevices),
          new RunManifest.Points(
              plan.points().size(),
              counts.committed(),
              counts.mine().size(),
              before.size(),
              counts.failed()),
          RequestMetrics.DEFINITIONS,
          attempts);
    }
  }

  /**
   * The run's failure records of points that are not committed, in plan order of their ids; a
   * record left by an earlier attempt of a point committed since is removed.
   */
  private static List<PointFailure> failures(Run run, Set<String> committed) throws IOException {
    FailureRecords records = run.failures();
    List<PointFailure> out = new ArrayList<>();
    for (PointFailure f : records.list()) {
      if (committed.contains(f.pointId())) {
        records.clear(f.pointId());
      } else {
        out.add(f);
      }
    }
    out.sort(java.util.Comparator.comparing(PointFailure::pointId));
    return out;
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

  static List<ExecutorSummary> executors(List<PointReport> reports) {
    Map<String, List<PointReport>> byJvm = new LinkedHashMap<>();
    for (PointReport r : reports) {
      byJvm
          .computeIfAbsent(
              r.placement().executorId() + "|" + r.placement().jvm(), k -> new ArrayList<>())
          .add(r);
    }
    List<ExecutorSummary> out = new ArrayList<>();
    for (List<PointReport> rs : byJvm.values()) {
      Placement first = rs.get(0).placement();
      List<Placement> where = rs.stream().map(PointReport::placement).toList();
      out.add(
          new ExecutorSummary(
              first.executorId(),
              first.host(),
              first.jvm(),
              where.stream().map(Placement::device).distinct().sorted().toList(),
              where.stream().map(Placement::deviceName).distinct().sorted().toList(),
              where.stream()
                  .map(Placement::gpuAddress)
                  .filter(Objects::nonNull)
                  .distinct()
                  .sorted()
                  .toList(),
              (int) rs.stream().filter(r -> r.outcome() == Outcome.COMMITTED).count(),
              (int) rs.stream().filter(r -> r.load().loaded()).count(),
              rs.stream().mapToLong(r -> r.load().nanos()).sum() / 1e6,
              rs.stream()
                  .map(PointReport::pytorchVersion)
                  .filter(Objects::nonNull)
                  .findFirst()
                  .orElse(null)));
    }
    return out;
  }
}
