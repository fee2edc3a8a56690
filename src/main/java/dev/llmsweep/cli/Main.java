package dev.llmsweep.cli;

import dev.llmsweep.engine.Offline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of {@code ./submit}; a first argument that is not a subcommand is a job file to run.
 * Exit codes: 0 success, 1 a failure while running, 2 bad input (arguments, job files, model
 * directories, unknown runs), always with a message that names what is wrong, 3 a comparison with a
 * baseline found a significant regression ({@code compare}, or a job with a baseline).
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "llm-sweep: how fast your LLM really is, and which setting to run it at.",
    subcommands = {
      RunCommand.class,
      PlanCommand.class,
      BenchHarnessCommand.class,
      GenerateCommand.class,
      BenchEngineCommand.class,
      BenchClientCommand.class,
      AggregateCommand.class,
      RecommendCommand.class,
      SqlCommand.class,
      BenchViewsCommand.class,
      CompareCommand.class,
      ReportCommand.class,
      HistoryCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    Offline.apply();
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this without exiting). */
  public static int execute(String... args) {
    return execute(null, null, args);
  }

  /** Runs the command line with picocli's output and error streams replaced (when not null). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
      if (!looksLikeJobFile(args[0])) {
        cli.getErr()
            .println("error: " + Subcommands.unknown(args[0], cli.getSubcommands().keySet()));
        cli.getErr().flush();
        return ErrorHandler.BAD_INPUT;
      }
      // ./submit jobs/x.conf ...: running a job file is the default subcommand
      String[] withRun = new String[args.length + 1];
      withRun[0] = "run";
      System.arraycopy(args, 0, withRun, 1, args.length);
      args = withRun;
    }
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::onBadArguments);
    int code = cli.execute(args);
    LogFile.nameIfWritten(cli.getErr());
    return code;
  }

  /** {@code --verbose} on any subcommand: Spark's and the libraries' log lines on stderr too. */
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "also print Spark's and the libraries' log lines (INFO and up) on stderr")
  void setVerbose(boolean on) {
    if (on) {
      LogFile.verbose();
    }
  }

  /**
   * A first argument that is no subcommand is a job file when it exists or reads like a path
   * ({@code x.conf}, {@code a/b}).
   */
  private static boolean looksLikeJobFile(String arg) {
    return java.nio.file.Files.exists(java.nio.file.Path.of(arg))
        || arg.contains("/")
        || arg.contains(".");
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
