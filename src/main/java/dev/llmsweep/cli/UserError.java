package dev.llmsweep.cli;

/** Bad input from the user: printed as one clear message, exit code 2, no stack trace. */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
