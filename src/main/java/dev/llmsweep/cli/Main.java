package dev.llmsweep.cli;

import dev.llmsweep.engine.Offline;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./submit}. Exit codes: 0 success, 1 a failure while running, 2 bad input
 * (arguments, job files, model directories), always with a message that names what is wrong.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "llm-sweep: how fast your LLM really is, and which setting to run it at.",
    subcommands = {GenerateCommand.class, BenchEngineCommand.class, AggregateCommand.class,
        RecommendCommand.class, SqlCommand.class, BenchViewsCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    Offline.apply();
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this without exiting). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::onBadArguments);
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
