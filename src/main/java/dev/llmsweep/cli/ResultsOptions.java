package dev.llmsweep.cli;

import picocli.CommandLine.Option;

/** {@code --results} and {@code --run-id}, shared by the commands that read results. */
final class ResultsOptions {
  @Option(names = "--results", defaultValue = "results", paramLabel = "ROOT",
      description = "results root, a path or Hadoop filesystem URI (default: ${DEFAULT-VALUE})")
  String results;

  @Option(names = {"--run-id", "--run"}, paramLabel = "ID", description = "run id (default: the most recent run; for sql: every run)")
  String runId;
}
