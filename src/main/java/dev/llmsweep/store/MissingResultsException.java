package dev.llmsweep.store;

import dev.llmsweep.errors.BadInputException;

/**
 * A results root, run or table the user asked for does not exist, or holds nothing to read (bad
 * input: the CLI prints the message and exits 2).
 */
public class MissingResultsException extends BadInputException {
  private static final long serialVersionUID = 1L;

  public MissingResultsException(String message) {
    super(message);
  }
}
