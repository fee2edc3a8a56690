package dev.llmsweep.cli;

import dev.llmsweep.errors.BadInputException;

/** A bad command-line argument: printed as one clear message, exit code 2, no stack trace. */
public class UserError extends BadInputException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
