package dev.llmsweep.spark;

import dev.llmsweep.spec.Point;
import dev.llmsweep.store.CallContext;
import dev.llmsweep.store.PointCommitter;
import dev.llmsweep.store.RawFiles;
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
import org.apache.spark.util.LongAccumulator;

/**
 * The partition function (executor side): for each point of its partition, skip it when already
 * committed, take the device from the {@link ModelCache}, run it with a {@link PointRunner}, and
 * commit its rows exactly once with the {@link PointCommitter}. Returns one {@link PointReport}
 * per point.
 */
public final class RunPointsFunction implements FlatMapFunction<Iterator<Point>, PointReport> {
  private static final long serialVersionUID = 1L;
  /** Hadoop configurations by their overrides, built once per executor JVM (they are slow to make). */
  /** Looked up once per JVM: both can cost a name-service round trip. */
  private static final String HOST = host();
  private static final String JVM = ManagementFactory.getRuntimeMXBean().getName();
  private static final Map<Map<String, String>, Configuration> CONFS = new java.util.concurrent.ConcurrentHashMap<>();

  private final String runId;
  private final PointCommitter committer;
  private final Map<String, String> hadoopConf;
  private final String factoryClass;
  private final LongAccumulator tokens;

  /**
   * @param hadoopConf the driver's Hadoop settings that differ from the defaults, so executors
   *     reach the same filesystem
   * @param factoryClass the {@link GeneratorFactory} to use; null for the DJL engine
   * @param tokens counts generated tokens for the driver's progress line
   */
  public RunPointsFunction(String runId, PointCommitter committer, Map<String, String> hadoopConf, String factoryClass,
      LongAccumulator tokens) {
    this.runId = runId;
    this.committer = committer;
    this.hadoopConf = new HashMap<>(hadoopConf);
    this.factoryClass = factoryClass;
    this.tokens = tokens;
  }

  @Override
  public Iterator<PointReport> call(Iterator<Point> points) throws Exception {
    Configuration conf = CONFS.computeIfAbsent(hadoopConf, overrides -> {
      Configuration c = new Configuration();
      overrides.forEach(c::set);
      return c;
    });
    PointCommitter commits = committer.withConf(conf);
    RawFiles.prewarm();
    GeneratorFactory factory = GeneratorFactory.named(factoryClass);
    TaskContext task = TaskContext.get();
    String executorId = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
    String host = HOST;
    String jvm = JVM;
    List<PointReport> out = new ArrayList<>();
    while (points.hasNext()) {
      Point p = points.next();
      long start = System.nanoTime();
      DeviceAssignment device = DeviceAssignment.forTask(task, p.device());
      if (commits.isCommitted(p.pointId())) {
        out.add(new PointReport(p.pointId(), "already_committed", executorId, host, jvm, device.device(),
            device.deviceName(), device.gpuAddress(), false, 0, 0, 0, System.nanoTime() - start, 0, null));
        continue;
      }
      ModelCache.Key key = new ModelCache.Key(p.model(), p.dtype(), device.device());
      try (ModelCache.Lease lease = ModelCache.acquire(key, factory)) {
        CallContext base = new CallContext(runId, p, 0, false, false, p.maxTokens(), device.device(),
            device.deviceName(), executorId, host);
        PointRunner run = new PointRunner(lease.generator(), p, base).run();
        PointCommitter.Outcome outcome;
        long commitStart = System.nanoTime();
        try {
          outcome = commits.commit(p.pointId(), run.requests(), run.batches());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot commit point " + p.pointId() + " to " + commits.pointDir(p.pointId())
              + ": " + e.getMessage(), e);
        }
        tokens.add(run.generatedTokens());
        out.add(new PointReport(p.pointId(), outcome.name().toLowerCase(java.util.Locale.ROOT), executorId, host, jvm,
            device.device(), device.deviceName(), device.gpuAddress(), lease.loadedModel(), lease.loadNanos(),
            run.engineNanos(), System.nanoTime() - commitStart, System.nanoTime() - start, run.generatedTokens(), EngineVersion.pytorch(factory)));
      }
    }
    return out.iterator();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
