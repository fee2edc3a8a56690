package dev.llmsweep.spark;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkContext;

/**
 * SIGTERM and SIGINT for a sweep's driver (driver side). The JVM's own handling would run the
 * shutdown hooks while the sweep's thread is still inside a Spark job: a stack trace, exit 143 and
 * a record written while executors were still committing. Instead a signal cancels the running
 * Spark jobs (tasks are interrupted), and the sweep's thread ends the attempt as {@code stopped}
 * with the points the store holds, says so in one line and exits 1. A second signal, or a driver
 * that has not ended 60 s after the first, exits at once (the shutdown hooks still record the
 * attempt).
 */
public final class StopSignal {
  static final long GRACE_S = 60;
  private static final AtomicBoolean REQUESTED = new AtomicBoolean();
  private static volatile SparkContext context;
  private static volatile String signal = "TERM";

  private StopSignal() {}

  /**
   * Handles SIGTERM and SIGINT for this driver from now on; the jobs of {@code sc} are the ones
   * cancelled.
   */
  public static void install(SparkContext sc) {
    context = sc;
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal(s.getName()));
      } catch (IllegalArgumentException ignoredByTheShell) {
        // SIGINT is ignored by a background job of a shell: the launcher forwards Ctrl-C as SIGTERM
      }
    }
  }

  /** Whether a stop was asked for. */
  public static boolean requested() {
    return REQUESTED.get();
  }

  /** The signal that asked for it (TERM, INT). */
  public static String signal() {
    return "SIG" + signal;
  }

  static void onSignal(String name) {
    if (!REQUESTED.compareAndSet(false, true)) {
      System.err.println("[llm-sweep] a second SIG" + name + ": exiting now");
      System.exit(1);
    }
    signal = name;
    System.err.println("[llm-sweep] SIG" + name + ": stopping the sweep (cancelling its tasks)...");
    SparkContext sc = context;
    if (sc != null && !sc.isStopped()) {
      sc.cancelAllJobs();
    }
    Thread watchdog =
        new Thread(
            () -> {
              try {
                TimeUnit.SECONDS.sleep(GRACE_S);
                System.err.println(
                    "[llm-sweep] the driver did not stop within "
                        + GRACE_S
                        + " s of SIG"
                        + name
                        + ": exiting now");
                System.exit(1);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "llm-sweep-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
