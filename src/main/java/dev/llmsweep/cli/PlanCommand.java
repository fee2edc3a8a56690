package dev.llmsweep.cli;

import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Planner;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.Serving;
import dev.llmsweep.spark.ClusterFit;
import dev.llmsweep.spark.ClusterPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code submit plan JOB}: the points a job file expands to and the work they are; runs nothing. A
 * job with endpoint points adds each point's engine, open-loop request rate (0: a closed-loop
 * batch) and where its requests go.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Print the points of a job file, their count and the work (requests, tokens); runs nothing.",
      "Checked as the run would be: device = gpu needs a GPU here, unless --master/--conf-profile name a cluster.",
      "With --master spark://HOST:PORT, also whether the executors fit the master's alive workers (exit 2 if not)."
    })
public final class PlanCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "job file, e.g. jobs/quickstart.conf")
  Path job;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Plan plan = Planner.plan(job);
    Map<String, String> settings = sparkOptions.resolve(plan.job(), false);
    LocalGpuCheck.require(plan.job(), settings);
    print(plan, out);
    if (sparkOptions.namesCluster()) {
      // the devices and memory as the run checks them, then the workers themselves: nothing
      // submitted
      ClusterPlan.print(ClusterFit.check(plan, settings), plan.points().size(), out);
    }
    out.flush();
    return 0;
  }

  static void print(Plan plan, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "job %s (%s), sha256 %s%n",
        plan.job().name(),
        plan.job().file(),
        plan.job().sha256().substring(0, 16));
    int modelWidth =
        Math.max(
            5, plan.points().stream().mapToInt(p -> p.model().name().length()).max().orElse(0));
    boolean endpoints = plan.points().stream().anyMatch(p -> p.serving().isEndpoint());
    String header =
        "%4s  %-22s %-16s %-"
            + modelWidth
            + "s %-6s %-7s %6s %6s %6s %5s %5s %5s %6s %4s %3s %5s %8s %10s";
    String row =
        "%4d  %-22s %-16s %-"
            + modelWidth
            + "s %-6s %-7s %6d %6d %6d %5.2f %5.2f %5d %6d %4d %3d %5s %8d %10d";
    out.printf(
        Locale.ROOT,
        header,
        "#",
        "experiment",
        "point_id",
        "model",
        "device",
        "dtype",
        "batch",
        "max_tk",
        "prompt",
        "temp",
        "top_p",
        "top_k",
        "seed",
        "reps",
        "wu",
        "proxy",
        "requests",
        "max_gen_tk");
    out.println(
        endpoints
            ? String.format(Locale.ROOT, " %-7s %8s  %s", "engine", "req_rate", "endpoint")
            : "");
    for (Point p : plan.points()) {
      out.printf(
          Locale.ROOT,
          row,
          p.identity().ordinal(),
          p.identity().experiment(),
          p.pointId(),
          p.model().name(),
          p.model().device(),
          p.model().dtype(),
          p.shape().batchSize(),
          p.shape().maxTokens(),
          p.shape().promptTokens(),
          p.sampling().temperature(),
          p.sampling().topP(),
          p.sampling().topK(),
          p.sampling().seed(),
          p.measurement().repetitions(),
          p.measurement().warmups(),
          p.measurement().ttftProxy() ? "yes" : "no",
          p.requests(),
          p.maxGeneratedTokens());
      Serving s = p.serving();
      out.println(
          !endpoints
              ? ""
              : String.format(
                  Locale.ROOT,
                  " %-7s %8s  %s",
                  s.engine(),
                  s.load().openLoop() ? trim(s.load().requestRate()) : "closed",
                  !s.isEndpoint()
                      ? "-"
                      : s.endpoint() != null ? s.endpoint() : "server.command (per executor)"));
    }
    if (endpoints) {
      out.println(
          "req_rate: open-loop requests/s (closed: a batch of batch_size concurrent requests)");
    }
    out.printf(
        Locale.ROOT,
        "%d points, %d generate calls, %,d requests, %,d prompt tokens, at most %,d generated"
            + " tokens%n",
        plan.points().size(),
        plan.calls(),
        plan.requests(),
        plan.promptTokens(),
        plan.maxGeneratedTokens());
  }

  private static String trim(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }
}
