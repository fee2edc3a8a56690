package dev.llmsweep.spark;

import dev.llmsweep.store.ExecutorEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * The executors of one attempt (driver side): which it had (those registered when it started, then
 * each that registered while it ran), which went away and Spark's reason ("Command exited with code
 * 137", "worker lost"), for the manifest; and liveness for the whole run on a cluster: while no
 * executor is alive the progress line says so every 10 s, and after {@link ClusterFit#WAIT_KEY}
 * seconds without one the sweep's jobs are cancelled and the run fails naming the executors lost (a
 * cluster that loses its executors mid-run never waits forever).
 */
final class ExecutorWatch extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final PrintStream out;
  private final int waitS;
  private final Map<String, String> alive = new ConcurrentHashMap<>();
  private final List<ExecutorEvent> lost = new ArrayList<>();
  private final List<ExecutorEvent> added = new ArrayList<>();
  private final Thread watchdog;
  private volatile String failure;

  /**
   * @param waitS seconds without a live executor before the run fails; 0 for no liveness check
   *     (local masters: the driver runs the points)
   */
  ExecutorWatch(SparkContext sc, PrintStream out, int waitS) {
    this.sc = sc;
    this.out = out;
    this.waitS = waitS;
    // the executors that registered before this attempt's listener, with their hosts (their block
    // managers')
    for (String id : scala.jdk.javaapi.CollectionConverters.asJava(sc.getExecutorIds())) {
      alive.put(id, "?");
    }
    alive.replaceAll((id, unknown) -> host(id));
    String now = Instant.now().toString();
    alive.forEach((id, host) -> added.add(new ExecutorEvent(id, host, now, null)));
    sc.addSparkListener(this);
    watchdog = new Thread(this::watch, "llm-sweep-executor-liveness");
    watchdog.setDaemon(true);
    if (waitS > 0) {
      watchdog.start();
    }
  }

  static ExecutorWatch start(SparkContext sc, PrintStream out) {
    boolean local = sc.master().startsWith("local");
    int waitS = local ? 0 : sc.getConf().getInt(ClusterFit.WAIT_KEY, ClusterFit.WAIT_DEFAULT_S);
    return new ExecutorWatch(sc, out, waitS);
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded e) {
    alive.put(e.executorId(), e.executorInfo().executorHost());
    synchronized (this) {
      added.add(
          new ExecutorEvent(
              e.executorId(),
              e.executorInfo().executorHost(),
              Instant.ofEpochMilli(e.time()).toString(),
              null));
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
    String host = alive.remove(e.executorId());
    synchronized (this) {
      if (lost.stream().noneMatch(l -> l.executorId().equals(e.executorId()))) {
        lost.add(
            new ExecutorEvent(
                e.executorId(),
                host == null || host.equals("?") ? host(e.executorId()) : host,
                Instant.ofEpochMilli(e.time()).toString(),
                e.reason()));
      }
    }
  }

  /**
   * An executor's host from Spark's status store (it keeps removed executors too); "?" for one the
   * driver never heard of (a replacement that never registered: its reason names its worker).
   */
  private String host(String executorId) {
    try {
      String hostPort = sc.statusStore().executorSummary(executorId).hostPort();
      int colon = hostPort.lastIndexOf(':');
      return colon > 0 ? hostPort.substring(0, colon) : hostPort;
    } catch (RuntimeException unknown) {
      return "?";
    }
  }

  synchronized List<ExecutorEvent> lost() {
    return List.copyOf(lost);
  }

  synchronized List<ExecutorEvent> added() {
    return List.copyOf(added);
  }

  /** Why the run failed for want of executors, null while it has not. */
  String failure() {
    return failure;
  }

  private void watch() {
    long noneSince = 0;
    long lastSaid = 0;
    try {
      while (!sc.isStopped()) {
        TimeUnit.MILLISECONDS.sleep(500);
        long now = System.nanoTime();
        if (!alive.isEmpty()) {
          noneSince = 0;
          continue;
        }
        if (noneSince == 0) {
          noneSince = now;
          lastSaid = 0;
        }
        if (now - lastSaid >= TimeUnit.SECONDS.toNanos(10)) {
          lastSaid = now;
          out.println(
              "[llm-sweep] waiting for executors (0 alive, "
                  + lost().size()
                  + " lost; the run fails after "
                  + waitS
                  + " s without one, "
                  + ClusterFit.WAIT_KEY
                  + ")");
          out.flush();
        }
        if (now - noneSince >= TimeUnit.SECONDS.toNanos(waitS)) {
          failure =
              "no executor alive for "
                  + waitS
                  + " s ("
                  + ClusterFit.WAIT_KEY
                  + "); executors lost: "
                  + describe(lost());
          sc.cancelAllJobs();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "0 on host-a (Command exited with code 137), 1 on host-b (worker lost)". */
  static String describe(List<ExecutorEvent> events) {
    if (events.isEmpty()) {
      return "none registered with this driver";
    }
    List<String> out = new ArrayList<>();
    for (ExecutorEvent e : events) {
      out.add(e.executorId() + " on " + e.host() + " (" + e.reason() + ")");
    }
    return String.join(", ", out);
  }

  @Override
  public void close() {
    watchdog.interrupt();
    sc.removeSparkListener(this);
  }
}
