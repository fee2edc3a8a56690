package dev.llmsweep.errors;

/**
 * A run that ended before its points did, for a reason the user can act on: stopped by a signal, or
 * its cluster lost every executor. The CLI reports it as one line (its message says what was
 * committed and how to resume) with exit code 1 and no stack trace: nothing here is a bug.
 */
public class RunEndedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean stopped;

  public RunEndedException(String message, boolean stopped) {
    super(message);
    this.stopped = stopped;
  }

  /**
   * True for a stop by a signal ({@code stopped: ...}), false for a failed run ({@code failed:
   * ...}).
   */
  public boolean stopped() {
    return stopped;
  }
}
