package dev.llmsweep.spark;

import dev.llmsweep.job.Point;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver's progress line (driver side): on every point finished, points done of total, the
 * points running now, generated tokens per second, and an ETA from the planned tokens left at the
 * rate of the points after the first (the first carries the model's load and warm-up: taken as the
 * rate, it put a 7 s sweep's first ETA at minutes). Tasks map to points through the job's {@code
 * llmsweep.group} property and the task index.
 */
final class ProgressListener extends SparkListener {
  static final String GROUP_PROPERTY = "llmsweep.group";

  private final PrintStream out;
  private final int total;
  private final long plannedTokens;
  private final LongAccumulator tokens;
  private final long startNanos = System.nanoTime();
  private final Map<Integer, List<Point>> groups = new ConcurrentHashMap<>();
  private final Map<Integer, List<Point>> stages = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private int done;
  private long doneTokens;
  private long firstTokens;
  private double firstSeconds;
  private volatile long firstLaunchMillis = Long.MAX_VALUE;
  private volatile long lastFinishMillis = Long.MIN_VALUE;

  ProgressListener(PrintStream out, int total, long plannedTokens, LongAccumulator tokens) {
    this.out = out;
    this.total = total;
    this.plannedTokens = plannedTokens;
    this.tokens = tokens;
  }

  void register(int group, List<Point> points) {
    groups.put(group, points);
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String g = job.properties() == null ? null : job.properties().getProperty(GROUP_PROPERTY);
    if (g != null && groups.containsKey(Integer.parseInt(g))) {
      List<Point> points = groups.get(Integer.parseInt(g));
      for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) {
        stages.put((Integer) stage, points);
      }
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart e) {
    Point p = point(e.stageId(), e.taskInfo().index());
    if (p != null) {
      running.add(p.label());
      firstLaunchMillis = Math.min(firstLaunchMillis, e.taskInfo().launchTime());
    }
  }

  /** Wall-clock millis when the first point's task launched (Spark's task info). */
  long firstLaunchMillis() {
    return firstLaunchMillis;
  }

  /** Wall-clock millis when the last point's task finished. */
  long lastFinishMillis() {
    return lastFinishMillis;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    Point p = point(e.stageId(), e.taskInfo().index());
    if (p == null) {
      return;
    }
    running.remove(p.label());
    lastFinishMillis = Math.max(lastFinishMillis, e.taskInfo().finishTime());
    if (e.reason() instanceof org.apache.spark.TaskKilled) {
      print(
          "cancelled "
              + p.label()); // a stop or a lost cluster: the reason is said once, by the run
      return;
    }
    if (!e.taskInfo().successful()) {
      print("retrying " + p.label() + " (" + e.reason() + ")");
      return;
    }
    synchronized (this) {
      done++;
      doneTokens += p.maxGeneratedTokens();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double rate = tokens.value() / seconds;
      if (done == 1) {
        firstTokens = doneTokens;
        firstSeconds = seconds;
      }
      String eta =
          eta(
              done,
              total,
              plannedTokens - doneTokens,
              doneTokens - firstTokens,
              seconds - firstSeconds);
      String now =
          running.isEmpty() ? "done " + p.label() : "running " + String.join(", ", running);
      notifyAll();
      print(
          String.format(
              Locale.ROOT,
              "%d/%d points | %s | %,.0f tok/s | elapsed %s | ETA %s",
              done,
              total,
              now,
              rate,
              clock(seconds),
              eta));
    }
  }

  /** Waits until {@code points} successful task ends have been seen, at most {@code millis}. */
  synchronized void awaitDone(int points, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    try {
      while (done < points && System.currentTimeMillis() < deadline) {
        wait(Math.max(1, deadline - System.currentTimeMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until no point's task is running (cancelled tasks have ended), at most {@code millis}.
   */
  void awaitIdle(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    try {
      while (!running.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Point point(int stage, int index) {
    List<Point> points = stages.get(stage);
    return points == null || index >= points.size() ? null : points.get(index);
  }

  private void print(String line) {
    out.println("[llm-sweep] " + line);
    out.flush();
  }

  /**
   * The time left: the planned tokens left at the rate of the points done after the first; "after
   * the next point" while only the first is done.
   */
  static String eta(
      int done, int total, long tokensLeft, long tokensAfterFirst, double secondsAfterFirst) {
    if (done >= total) {
      return "0:00";
    }
    if (done < 2 || tokensAfterFirst <= 0 || secondsAfterFirst <= 0) {
      return "after the next point";
    }
    return clock(tokensLeft / (tokensAfterFirst / secondsAfterFirst));
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
