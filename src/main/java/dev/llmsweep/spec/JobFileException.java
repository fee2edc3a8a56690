package dev.llmsweep.spec;

import java.util.List;

/**
 * A job file that cannot be run: every problem found, each naming file, line, key and what is
 * accepted (driver side). An {@link IllegalArgumentException}, so the CLI reports it as bad input
 * (exit 2).
 */
public final class JobFileException extends IllegalArgumentException {
  private final List<String> problems;

  public JobFileException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0)
        : problems.size() + " problems in the job file:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
