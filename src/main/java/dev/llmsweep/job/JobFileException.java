package dev.llmsweep.job;

import dev.llmsweep.errors.BadInputException;
import java.util.List;

/**
 * A job file that cannot be run: every problem found, each naming file, line, key and what is
 * accepted (driver side). Bad input: the CLI reports it as such (exit 2).
 */
public final class JobFileException extends BadInputException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public JobFileException(List<String> problems) {
    super(
        problems.size() == 1
            ? problems.get(0)
            : problems.size() + " problems in the job file:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
