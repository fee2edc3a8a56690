package dev.llmsweep.cli;

import dev.llmsweep.spec.Plan;
import dev.llmsweep.spec.Planner;
import dev.llmsweep.spec.Point;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code submit plan JOB}: the points a job file expands to and the work they are; runs nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Print the points of a job file, their count and the work (requests, tokens); runs nothing.")
public final class PlanCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "job file, e.g. jobs/quickstart.conf")
  Path job;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    print(Planner.plan(job), out);
    out.flush();
    return 0;
  }

  static void print(Plan plan, PrintWriter out) {
    out.printf(Locale.ROOT, "job %s (%s), sha256 %s%n", plan.job().name(), plan.job().file(),
        plan.job().sha256().substring(0, 16));
    out.printf(Locale.ROOT, "%4s  %-22s %-16s %-26s %6s %6s %6s %5s %5s %5s %6s %4s %3s %5s %8s %10s%n",
        "#", "experiment", "point_id", "model", "batch", "max_tk", "prompt", "temp", "top_p", "top_k", "seed",
        "reps", "wu", "proxy", "requests", "max_gen_tk");
    for (Point p : plan.points()) {
      out.printf(Locale.ROOT, "%4d  %-22s %-16s %-26s %6d %6d %6d %5.2f %5.2f %5d %6d %4d %3d %5s %8d %10d%n",
          p.identity().ordinal(), p.identity().experiment(), p.pointId(),
          p.model().name() + " " + p.model().device() + " " + p.model().dtype(), p.shape().batchSize(),
          p.shape().maxTokens(), p.shape().promptTokens(), p.sampling().temperature(), p.sampling().topP(),
          p.sampling().topK(), p.sampling().seed(), p.measurement().repetitions(), p.measurement().warmups(),
          p.measurement().ttftProxy() ? "yes" : "no", p.requests(), p.maxGeneratedTokens());
    }
    out.printf(Locale.ROOT, "%d points, %d generate calls, %,d requests, %,d prompt tokens, at most %,d generated"
        + " tokens%n", plan.points().size(), plan.calls(), plan.requests(), plan.promptTokens(), plan.maxGeneratedTokens());
  }
}
