package dev.llmsweep.analysis;

/**
 * A results root, run or table the user asked for does not exist (bad input: the CLI prints the
 * message and exits 2).
 */
public class MissingResultsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MissingResultsException(String message) {
    super(message);
  }
}
