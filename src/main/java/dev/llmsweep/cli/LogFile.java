package dev.llmsweep.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The command's log file, named at the end of a command that wrote to it. Spark's logging (log4j)
 * is on the classpath of the Spark commands only: {@code generate} and {@code bench-engine} run
 * without it, and have no log file.
 */
final class LogFile {
  private LogFile() {}

  static void verbose() {
    try {
      dev.llmsweep.spark.Logs.verbose();
    } catch (LinkageError e) {
      // the engine-only classpath (generate, bench-engine): no Spark, nothing to show
    }
  }

  static void nameIfWritten(PrintWriter err) {
    try {
      Path log = dev.llmsweep.spark.Logs.written();
      if (log != null) {
        err.println(
            "[llm-sweep] Spark's and the libraries' log lines: "
                + log
                + " (--verbose shows them here)");
        err.flush();
      }
    } catch (LinkageError e) {
      // the engine-only classpath: no log file
    }
  }
}
