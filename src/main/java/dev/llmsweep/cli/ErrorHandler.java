package dev.llmsweep.cli;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.RunEndedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into messages and exit codes. The user's bad input ({@link BadInputException}
 * and its subclasses, and picocli's own argument errors) exits 2 with a one-line message; a run
 * stopped by a signal or failed by its cluster ({@link RunEndedException}) exits 1 with one {@code
 * stopped:} or {@code failed:} line saying how to resume; anything else is a failure or a bug: exit
 * 1, a {@code failed:} line, then the stack trace on the error stream (the terminal, or the
 * driver's log under spark-submit), so it can be reported.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int BAD_INPUT = 2;
  static final int FAILED = 1;

  /** A comparison found a significant regression (the run itself completed and is committed). */
  static final int REGRESSION = 3;

  /**
   * A comparison is inconclusive: no figure slower, but some changed only as much as the machine
   * did between the runs (their verdict is {@code environment}).
   */
  static final int ENVIRONMENT = 4;

  /**
   * The exit code of a finished comparison: 3 a regression, 4 inconclusive (the machine changed),
   * else 0.
   */
  static int of(dev.llmsweep.compare.Comparison c) {
    return c.regressed() ? REGRESSION : c.inconclusive() ? ENVIRONMENT : 0;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof BadInputException) {
      cmd.getErr().println("error: " + e.getMessage());
      return BAD_INPUT;
    }
    if (e instanceof RunEndedException ended) {
      // said in one line with what was committed and how to resume: not a bug, no stack trace
      cmd.getErr()
          .println("[llm-sweep] " + (ended.stopped() ? "stopped: " : "failed: ") + e.getMessage());
      cmd.getErr().flush();
      return FAILED;
    }
    cmd.getErr().println("failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    e.printStackTrace(cmd.getErr());
    cmd.getErr().flush();
    return FAILED;
  }

  static int onBadArguments(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr()
        .println(
            "error: "
                + oneLine(e.getMessage())
                + "; usage: ./"
                + cmd.getCommandSpec().qualifiedName()
                + " --help");
    cmd.getErr().flush();
    return BAD_INPUT;
  }

  /**
   * picocli's wording as one line, without its own "Error: " prefix (the line starts with "error:
   * ").
   */
  static String oneLine(String message) {
    String m = message == null ? "bad arguments" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    m = m.replaceFirst("^Error: ", "");
    return m.replaceFirst(
        "^Missing required argument \\(specify one of these\\): \\((.*)\\)$",
        "missing required argument: one of $1");
  }
}
