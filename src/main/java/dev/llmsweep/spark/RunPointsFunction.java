package dev.llmsweep.spark;

import dev.llmsweep.engine.openai.OpenAiGenerator;
import dev.llmsweep.engine.openai.ServerProcess;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.SteadyState;
import dev.llmsweep.probe.HostProbe;
import dev.llmsweep.spark.PointReport.ModelLoad;
import dev.llmsweep.spark.PointReport.Outcome;
import dev.llmsweep.spark.PointReport.Work;
import dev.llmsweep.store.CallContext;
import dev.llmsweep.store.FailureReason;
import dev.llmsweep.store.FailureRecords;
import dev.llmsweep.store.LocalPaths;
import dev.llmsweep.store.Placement;
import dev.llmsweep.store.PointCommitter;
import dev.llmsweep.store.PointEnvironment;
import dev.llmsweep.store.PointFailure;
import dev.llmsweep.store.RawFiles;
import dev.llmsweep.store.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The partition function (executor side): for each point of its partition, skip it when already
 * committed, take the device from the {@link ModelCache}, run it with a {@link PointRunner} between
 * its calibration probes ({@link EnvironmentWatch}), and commit its rows and its environment
 * exactly once with the {@link PointCommitter}. Returns one {@link PointReport} per point.
 *
 * <p>A point whose model load or engine calls throw (out of memory, a device error, its {@code
 * point_timeout_s}, any engine exception) is recorded in {@code failed/p-<point_id>.json} ({@link
 * FailureRecords}) and the task goes on with its next point; after an out-of-memory or device error
 * the model is closed to free its memory. A cancelled task (the run interrupted) and a failure to
 * commit are not point failures: they fail the task as before.
 */
public final class RunPointsFunction implements FlatMapFunction<Iterator<Point>, PointReport> {
  private static final long serialVersionUID = 1L;

  /**
   * Hadoop configurations by their overrides, built once per executor JVM (they are slow to make).
   */
  /** Looked up once per JVM: both can cost a name-service round trip. */
  private static final String HOST = host();

  private static final String JVM = ManagementFactory.getRuntimeMXBean().getName();
  private static final Map<Map<String, String>, Configuration> CONFS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String runId;
  private final PointCommitter committer;
  private final FailureRecords failures;
  private final Map<String, String> hadoopConf;
  private final String factoryClass;
  private final LongAccumulator tokens;
  private final CollectionAccumulator<PointReport> finished;
  private final Map<String, List<ModelWarmup.Shape>> warmupShapes;
  private final Map<String, SteadyState> modelWarmups;

  /**
   * @param hadoopConf the driver's Hadoop settings that differ from the defaults, so executors
   *     reach the same filesystem
   * @param factoryClass the {@link GeneratorFactory} to use; null for the DJL engine
   * @param tokens counts generated tokens for the driver's progress line
   * @param finished the reports of the points whose tasks succeeded, for the driver's manifest also
   *     when the job itself stops before it returns them
   * @param points the run's points to run: each loaded model is warmed with their shapes
   */
  public RunPointsFunction(
      String runId,
      PointCommitter committer,
      FailureRecords failures,
      Map<String, String> hadoopConf,
      String factoryClass,
      LongAccumulator tokens,
      CollectionAccumulator<PointReport> finished,
      List<Point> points) {
    this.runId = runId;
    this.committer = committer;
    this.failures = failures;
    this.hadoopConf = new HashMap<>(hadoopConf);
    this.factoryClass = factoryClass;
    this.tokens = tokens;
    this.finished = finished;
    Map<String, List<Point>> byModel = new HashMap<>();
    for (Point p : points) {
      byModel.computeIfAbsent(modelKey(p), k -> new ArrayList<>()).add(p);
    }
    this.warmupShapes = new HashMap<>();
    this.modelWarmups = new HashMap<>();
    byModel.forEach(
        (k, ps) -> {
          warmupShapes.put(k, new ArrayList<>(ModelWarmup.shapes(ps)));
          modelWarmups.put(k, ModelWarmup.policy(ps));
        });
  }

  private static String modelKey(Point p) {
    return p.model().name() + "\u0001" + p.model().dtype() + "\u0001" + p.model().device();
  }

  @Override
  public Iterator<PointReport> call(Iterator<Point> points) throws Exception {
    Configuration conf =
        CONFS.computeIfAbsent(
            hadoopConf,
            overrides -> {
              Configuration c = new Configuration();
              overrides.forEach(c::set);
              return c;
            });
    PointCommitter commits = committer.withConf(conf);
    FailureRecords failed = failures.withConf(conf);
    RawFiles.prewarm();
    GeneratorFactory factory = GeneratorFactory.named(factoryClass);
    EnvironmentWatch watch = new EnvironmentWatch(factory.probes());
    if (factory.probes() == EnvironmentProbes.REAL) {
      HostProbe.prewarm(); // compiles the probe's kernels while the model loads
    }
    TaskContext task = TaskContext.get();
    String executorId = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
    List<PointReport> out = new ArrayList<>();
    while (points.hasNext()) {
      Point p = points.next();
      long start = System.nanoTime();
      DeviceAssignment device = DeviceAssignment.forTask(task, p.model().device());
      Placement where =
          new Placement(
              executorId, HOST, JVM, device.device(), device.deviceName(), device.gpuAddress());
      if (commits.isCommitted(p.pointId())) {
        out.add(
            new PointReport(
                p.pointId(),
                Outcome.ALREADY_COMMITTED,
                where,
                ModelLoad.NONE,
                Work.idle(System.nanoTime() - start),
                null));
        continue;
      }
      ModelCache.Lease acquired;
      try {
        if (p.serving().isEndpoint()) {
          acquired =
              ModelCache.acquire(
                  EndpointGenerators.cacheKey(p.serving(), p.model().name(), device.device()),
                  () ->
                      EndpointGenerators.load(
                          p.serving(),
                          p.model().name(),
                          device,
                          executorId,
                          HOST,
                          serverLogs(commits)));
        } else {
          acquired =
              ModelCache.acquire(
                  new ModelCache.Key(p.model().name(), p.model().dtype(), device.device()),
                  factory);
        }
      } catch (RuntimeException | OutOfMemoryError e) {
        rethrowIfCancelled(task, e);
        // a model that fails to load has freed what it had (the loader closes its manager)
        out.add(
            failed(
                failed,
                p,
                PointFailure.Phase.LOAD,
                e,
                false,
                where,
                start,
                ModelLoad.NONE,
                factory));
        continue;
      }
      try (ModelCache.Lease lease = acquired) {
        CallContext base = CallContext.of(runId, p, where);
        if (lease.generator() instanceof OpenAiGenerator endpoint) {
          base = base.withEndpoint(endpoint.endpoint().baseUrl());
        }
        ModelLoad load = new ModelLoad(lease.loadedModel(), lease.loadNanos());
        PointRunner run;
        PointEnvironment environment;
        EnvironmentWatch.Running probing = null;
        try {
          long warming = System.nanoTime();
          ModelWarmup.run(
              lease.generator(),
              warmupShapes.getOrDefault(modelKey(p), List.of()),
              modelWarmups.get(modelKey(p)),
              lease.warmedShapes(),
              factory.jitClock());
          if (factory.probes() == EnvironmentProbes.REAL) {
            HostProbe.warmUp(); // once per JVM, mostly done in the background by now
          }
          // the model's warm-up (and the probe's) is not the point's time
          start += System.nanoTime() - warming;
          probing =
              watch.start(
                  lease.generator(), where.device(), p.measurement().steadyState().envTolerance());
          run = new PointRunner(lease.generator(), p, base, factory.jitClock()).run();
          environment = probing.finish(run.measuredStartNanos(), run.measuredEndNanos());
          probing = null;
        } catch (RuntimeException | OutOfMemoryError e) {
          if (probing != null) {
            probing.abandon();
          }
          rethrowIfCancelled(task, e);
          // a server that exited is stopped and started again for the next point
          boolean discard =
              FailureClassifier.reason(e).discardsModel()
                  || e instanceof ServerProcess.ServerExitedException;
          if (discard) {
            try {
              lease.discardModel();
            } catch (RuntimeException closing) {
              e.addSuppressed(closing);
            }
          }
          out.add(
              failed(
                  failed, p, PointFailure.Phase.GENERATE, e, discard, where, start, load, factory));
          continue;
        }
        PointCommitter.Outcome outcome;
        long commitStart = System.nanoTime();
        try {
          outcome = commits.commit(p.pointId(), run.requests(), run.batches(), runId, environment);
          failed.clear(p.pointId()); // a failure recorded by an earlier attempt no longer holds
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot commit point "
                  + p.pointId()
                  + " to "
                  + commits.pointDir(p.pointId())
                  + ": "
                  + e.getMessage(),
              e);
        }
        tokens.add(run.generatedTokens());
        out.add(
            new PointReport(
                p.pointId(),
                outcome == PointCommitter.Outcome.COMMITTED
                    ? Outcome.COMMITTED
                    : Outcome.ALREADY_COMMITTED,
                where,
                load,
                new Work(
                    run.engineNanos(),
                    System.nanoTime() - commitStart,
                    System.nanoTime() - start,
                    run.generatedTokens()),
                factory.pytorchVersion(),
                new PointEnvironment(
                    environment.tolerance(),
                    environment.pointMs(),
                    environment.probeMs(),
                    environment.before(),
                    environment.after(),
                    environment.cpuOthers(),
                    environment.cpuSteal(),
                    environment.telemetrySource(),
                    environment.otherProcesses(),
                    List.of())));
      }
    }
    out.forEach(finished::add);
    return out.iterator();
  }

  /**
   * Where servers started by this executor log: {@code servers/} in the run's directory when the
   * results root is a local path, else this JVM's temporary directory.
   */
  private java.nio.file.Path serverLogs(PointCommitter commits) {
    java.nio.file.Path local = LocalPaths.of(RunLayout.servers(commits.runDir()));
    if (local != null) {
      return local;
    }
    return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "llm-sweep-servers", runId);
  }

  /** Records the point as failed and returns its report (outcome {@code failed}). */
  private PointReport failed(
      FailureRecords records,
      Point p,
      PointFailure.Phase phase,
      Throwable e,
      boolean discarded,
      Placement where,
      long start,
      ModelLoad load,
      GeneratorFactory factory) {
    long elapsed = System.nanoTime() - start;
    FailureReason reason = FailureClassifier.reason(e);
    PointFailure f =
        new PointFailure(
            runId,
            PointFailure.Setting.of(p),
            where,
            new PointFailure.Cause(
                phase,
                reason,
                e.getClass().getName(),
                FailureClassifier.message(e),
                java.time.Instant.now().toString(),
                elapsed / 1e6,
                discarded));
    try {
      records.write(f);
    } catch (IOException io) {
      UncheckedIOException u =
          new UncheckedIOException(
              "point "
                  + p.pointId()
                  + " failed ("
                  + FailureClassifier.message(e)
                  + ") and its failure record cannot be written to "
                  + records.file(p.pointId())
                  + ": "
                  + io.getMessage(),
              io);
      u.addSuppressed(e);
      throw u;
    }
    return new PointReport(
        p.pointId(), Outcome.FAILED, where, load, Work.idle(elapsed), factory.pytorchVersion());
  }

  /**
   * A cancelled Spark task (the run interrupted or killed) is not a point failure: let it end the
   * task.
   */
  private static void rethrowIfCancelled(TaskContext task, Throwable e) {
    if ((task != null && task.isInterrupted()) || Thread.currentThread().isInterrupted()) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) e;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
