package dev.llmsweep.engine.openai;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the scheduling priority of the calling thread (Linux: its nice value, through {@code
 * renice} on the thread's own task id), best effort: elsewhere, or without {@code renice}, nothing
 * changes. Any user may lower a priority; raising one needs privileges, so the client lowers what
 * is not time-critical rather than raising what is.
 */
final class ThreadNice {
  private ThreadNice() {}

  /** Adds {@code increment} to this thread's nice value; whether it did. */
  static boolean lower(int increment) {
    Path self = Path.of("/proc/thread-self");
    if (!Files.exists(self)) {
      return false;
    }
    try {
      // "<pid>/task/<tid>"
      String tid = Files.readSymbolicLink(self).getFileName().toString();
      Process p =
          new ProcessBuilder("renice", "-n", "+" + increment, "-p", tid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
