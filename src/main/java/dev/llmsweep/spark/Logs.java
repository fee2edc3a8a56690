package dev.llmsweep.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Where Spark's and the libraries' log lines go (driver side): to the file the launcher names
 * ({@code -Dllmsweep.log}, see {@code conf/log4j2.properties}), so that ordinary output is
 * llm-sweep's own; with {@code --verbose} also to stderr, from INFO up.
 */
public final class Logs {
  /** The system property naming this command's log file. */
  public static final String FILE_PROPERTY = "llmsweep.log";

  private static volatile boolean verbose;

  private Logs() {}

  /** Spark's and the libraries' lines on stderr too, from INFO up. */
  public static void verbose() {
    verbose = true;
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    Appender console =
        ConsoleAppender.newBuilder()
            .setName("verbose")
            .setTarget(ConsoleAppender.Target.SYSTEM_ERR)
            .setLayout(
                PatternLayout.newBuilder().withPattern("%d{HH:mm:ss} %p %c{1}: %m%n").build())
            .build();
    console.start();
    config.getRootLogger().addAppender(console, Level.INFO, null);
    config.getRootLogger().setLevel(Level.INFO);
    ctx.updateLoggers();
  }

  static boolean isVerbose() {
    return verbose;
  }

  /** The log file when something was written to it, else null. */
  public static Path written() {
    String name = System.getProperty(FILE_PROPERTY);
    if (name == null) {
      return null;
    }
    Path p = Path.of(name);
    try {
      return Files.isRegularFile(p) && Files.size(p) > 0 ? p : null;
    } catch (IOException e) {
      return null;
    }
  }
}
