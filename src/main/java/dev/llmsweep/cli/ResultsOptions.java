package dev.llmsweep.cli;

import picocli.CommandLine.Option;

/** {@code --results ROOT} and {@code --run-id ID}, shared by every subcommand that uses results. */
public final class ResultsOptions {
  @Option(
      names = "--results",
      defaultValue = "results",
      paramLabel = "ROOT",
      description = "results root, any Hadoop filesystem URI (default: ./${DEFAULT-VALUE})")
  String results;

  @Option(
      names = {"--run-id", "--run"},
      paramLabel = "ID",
      description =
          "the run: resume it (run), or read it (default: a new run for run, the latest run otherwise)")
  String runId;
}
