package dev.llmsweep.errors;

/**
 * The user's bad input (a job file, a model directory, a results root or run, a command-line
 * argument): the one exception type the CLI reports as one line, {@code error: <message>}, with
 * exit code 2 and no stack trace. The message names the file, key or value at fault and what is
 * accepted. Anything else that escapes a command is a bug or an environment failure: exit 1 with
 * its stack trace. Internal invariants throw {@link IllegalStateException}, never this.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
