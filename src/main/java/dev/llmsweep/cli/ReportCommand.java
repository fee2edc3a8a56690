package dev.llmsweep.cli;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.report.Reports;
import dev.llmsweep.store.Run;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code submit report}: the plots and the self-contained HTML report of a run. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a run's plots (ROOT/<run>/plots/*.png, *.svg) and one self-contained HTML report",
      "(default ROOT/<run>/report.html): setup, tables, plots, sweet spot, budget recommendations, definitions."
    })
public final class ReportCommand implements Callable<Integer> {
  @Mixin ResultsOptions where = new ResultsOptions();
  @Mixin RunsOption runs = new RunsOption();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "the HTML file (default: ROOT/<run>/report.html)")
  String out;

  @Option(
      names = "--budget",
      defaultValue = "2.5",
      paramLabel = "SECONDS",
      description =
          "latency budget of the recommendations, seconds (default: ${DEFAULT-VALUE}, as the notebook)")
  double budget;

  @Override
  public Integer call() {
    if (!(budget > 0) || Double.isInfinite(budget)) {
      throw new BadInputException("--budget must be a positive number of seconds, not " + budget);
    }
    if (out != null && out.isBlank()) {
      throw new BadInputException("--out must name a file");
    }
    SelectedRun selected = SelectedRun.open(where, runs.allRuns);
    if (out != null && selected.measured().size() > 1) {
      throw new BadInputException(
          "--out names one file, but --all-runs writes a report per run (each to"
              + " ROOT/<run>/report.html); leave out --out");
    }
    for (Run run : selected.measured()) {
      String path =
          Reports.write(
              selected.spark().newSession(),
              run,
              budget,
              out != null ? out : Reports.defaultPath(run));
      System.out.println("report of run " + run.id() + ": " + path);
    }
    return 0;
  }
}
