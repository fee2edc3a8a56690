package dev.llmsweep.cli;

import dev.llmsweep.model.ModelFormatException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into messages and exit codes: bad input (unknown options, invalid values,
 * unusable model directories) exits 2 with a one-line message; anything else exits 1 with its
 * message, and the stack trace only when {@code LLM_SWEEP_DEBUG} is set.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int BAD_INPUT = 2;
  static final int FAILED = 1;
  /** A comparison found a significant regression (the run itself completed and is committed). */
  static final int REGRESSION = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (isBadInput(e)) {
      cmd.getErr().println("error: " + e.getMessage());
      return BAD_INPUT;
    }
    cmd.getErr().println("failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    if (System.getenv("LLM_SWEEP_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    return FAILED;
  }

  static boolean isBadInput(Throwable e) {
    return e instanceof UserError
        || e instanceof ModelFormatException
        || e instanceof IllegalArgumentException
        || (e instanceof UncheckedIOException u && u.getCause() instanceof java.nio.file.NoSuchFileException);
  }

  static int onBadArguments(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("error: " + e.getMessage());
    cmd.getErr().println("usage: " + cmd.getCommandSpec().qualifiedName() + " --help");
    return BAD_INPUT;
  }
}
