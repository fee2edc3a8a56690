package dev.llmsweep.spark;

import dev.llmsweep.engine.EngineVersion;
import dev.llmsweep.job.Plan;
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
import dev.llmsweep.store.RunManifest;
import dev.llmsweep.store.RunManifest.Status;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;

/**
 * This attempt of a run and its manifest: what it did (executors, devices, points it committed,
 * executors lost and added) beside the run's earlier attempts, and their union at the top. Its
 * counts come from the points committed in the store when it ends. Its end is written once: by the
 * run, or by the shutdown hook of a driver that exited another way.
 */
final class SweepAttempt {
  private final SparkContext sc;
  private final SweepJob.Options options;
  private final Plan plan;
  private final Run run;
  private final String started;
  private final List<RunManifest.Attempt> earlier;
  private final Set<String> before;
  private final ExecutorWatch watch;
  private boolean ended;

  SweepAttempt(
      SparkContext sc,
      SweepJob.Options options,
      Plan plan,
      Run run,
      String started,
      List<RunManifest.Attempt> earlier,
      Set<String> before,
      ExecutorWatch watch) {
    this.sc = sc;
    this.options = options;
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
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")),
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

  /**
   * The run's failure records of points that are not committed, in plan order of their ids; a
   * record left by an earlier attempt of a point committed since is removed.
   */
  static List<PointFailure> failures(Run run, Set<String> committed) throws IOException {
    FailureRecords records = run.failures();
    List<PointFailure> out = new ArrayList<>();
    for (PointFailure f : records.list()) {
      if (committed.contains(f.pointId())) {
        records.clear(f.pointId());
      } else {
        out.add(f);
      }
    }
    out.sort(Comparator.comparing(PointFailure::pointId));
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
