package dev.llmsweep.cli;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Planner;
import dev.llmsweep.spark.GeneratorFactory;
import dev.llmsweep.spark.PointReport;
import dev.llmsweep.spark.SparkSettings;
import dev.llmsweep.spark.SweepJob;
import dev.llmsweep.store.Build;
import dev.llmsweep.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code submit bench-harness [JOB]}: the harness's own cost. Runs a job (the quickstart by
 * default) as a fresh run and compares the time spent inside the engine's {@code generate} calls
 * with the wall time after Spark started; with one task slot (local[1], the default) the difference
 * is what Spark, the point loop and the Parquet commits cost.
 */
@Command(
    name = "bench-harness",
    mixinStandardHelpOptions = true,
    description =
        "Measure the harness overhead: share of wall time inside the engine, Spark overhead per point.")
public final class BenchHarnessCommand implements Callable<Integer> {
  static final double ENGINE_SHARE_TARGET = 0.90;
  static final double OVERHEAD_MS_TARGET = 50;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "JOB",
      description = "job file (default: ${DEFAULT-VALUE})",
      defaultValue = "jobs/quickstart.conf")
  Path job;

  @Option(
      names = "--results",
      paramLabel = "ROOT",
      description = "results root (default: a temporary directory)")
  String results;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "fresh runs of the job in one Spark session; the first is cold (class loading, model load),"
              + " the last is the steady-state figure (default: ${DEFAULT-VALUE})")
  int rounds;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1) {
      throw new BadInputException("--rounds must be >= 1, got " + rounds);
    }
    Plan plan = Planner.plan(job);
    Map<String, String> settings = sparkOptions.resolveSweep(plan.job());
    String root =
        results != null ? results : Files.createTempDirectory("llm-sweep-bench-").toString();
    long t0 = System.currentTimeMillis();
    SparkSession spark = SparkSettings.session(settings);
    long sparkStarted = System.currentTimeMillis();
    try {
      RunStore store = RunStore.open(root, spark.sparkContext().hadoopConfiguration());
      String gitCommit = Build.current().manifestCommit();
      for (int round = 1; round <= rounds; round++) {
        long begin = System.currentTimeMillis();
        SweepJob.Result r =
            new SweepJob(
                    spark,
                    store,
                    new SweepJob.Options(
                        null,
                        settings.get(GeneratorFactory.PROPERTY),
                        System.out,
                        Version.project(),
                        gitCommit))
                .run(plan);
        long end = System.currentTimeMillis();
        System.out.printf(
            Locale.ROOT,
            "%n== harness benchmark, round %d of %d (%s): %s on %s, %d points ==%n",
            round,
            rounds,
            round == 1 ? "cold: first run in this JVM" : "warm",
            job,
            settings.get("spark.master"),
            r.reports().size());
        if (round == 1) {
          System.out.printf(
              Locale.ROOT,
              "%-34s %8.2f s  (not counted)%n",
              "spark startup",
              (sparkStarted - t0) / 1e3);
        }
        report(
            r.reports(),
            (end - begin) / 1e3,
            (r.firstTaskMillis() - begin) / 1e3,
            (r.lastTaskMillis() - r.firstTaskMillis()) / 1e3);
      }
    } finally {
      spark.stop();
    }
    System.out.println("results of the benchmark runs: " + root);
    return 0;
  }

  /**
   * @param wall seconds from the run's start (Spark already started) to its end
   * @param setup seconds from the run's start to the first point's task (manifest, job)
   * @param tasks seconds from the first point's task launch to the last one's end
   */
  private static void report(List<PointReport> reports, double wall, double setup, double tasks) {
    double engine = reports.stream().mapToLong(r -> r.work().engineNanos()).sum() / 1e9;
    double load = reports.stream().mapToLong(r -> r.load().nanos()).sum() / 1e9;
    double commit = reports.stream().mapToLong(r -> r.work().commitNanos()).sum() / 1e9;
    double inTask =
        reports.stream()
                .mapToLong(r -> r.work().taskNanos() - r.work().engineNanos() - r.load().nanos())
                .sum()
            / 1e9;
    int points = reports.size();
    double share = engine / wall;
    double overheadMs = (wall - engine - load) * 1000 / points;
    double perPointMs = (tasks - engine - load) * 1000 / points;
    double inTaskMs = inTask * 1000 / points;
    System.out.printf(Locale.ROOT, "%-34s %8.2f s%n", "wall after Spark started", wall);
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.2f s  %5.1f %% of wall  (target >= %.0f %%) %s%n",
        "inside the engine (generate)",
        engine,
        share * 100,
        ENGINE_SHARE_TARGET * 100,
        share >= ENGINE_SHARE_TARGET ? "ok" : "MISSED");
    System.out.printf(
        Locale.ROOT, "%-34s %8.2f s  %5.1f %% of wall%n", "model loading", load, load / wall * 100);
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.2f s  %5.1f %% of wall%n",
        "engine, generate + loading",
        engine + load,
        (engine + load) / wall * 100);
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.1f ms  (target < %.0f ms) %s%n",
        "overhead per point",
        perPointMs,
        OVERHEAD_MS_TARGET,
        perPointMs < OVERHEAD_MS_TARGET ? "ok" : "MISSED");
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.1f ms  (prompts, rows, Parquet commit)%n",
        "  of which inside the task",
        inTaskMs);
    System.out.printf(
        Locale.ROOT, "%-34s %8.1f ms%n", "    of which the Parquet commit", commit * 1000 / points);
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.1f ms  (Spark scheduling, task launch, result)%n",
        "  of which Spark between tasks",
        perPointMs - inTaskMs);
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.2f s  (manifest, Spark job setup, first task)%n",
        "one-off before the first point",
        setup);
    System.out.printf(
        Locale.ROOT,
        "%-34s %8.1f ms  (everything but generate and loading, over %d points)%n",
        "all overhead per point",
        overheadMs,
        points);
  }
}
