package dev.llmsweep.cli;

import picocli.CommandLine.Option;

/**
 * {@code --all-runs}: the analysis commands read every run instead of the latest (or {@code
 * --run-id}).
 */
public final class RunsOption {
  @Option(
      names = "--all-runs",
      description = "every run under the root (default: the latest run, or --run-id)")
  boolean allRuns;
}
