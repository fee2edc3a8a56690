package dev.llmsweep.cli;

import dev.llmsweep.analysis.Views;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.report.Plot;
import dev.llmsweep.report.TrendPlots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code submit history}: a job's trend over its last runs, from the {@code history} view (driver
 * side): per experiment, each point's figure run by run with its verdict in that run's latest
 * comparison (the change points), the runs' read bandwidth, and one PNG plot per experiment.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "A job's trend: each point's figure over the job's last runs, with the runs where compare found it",
      "slower (*), faster (+) or explained by the machine (e), and one plot per experiment (PNG)."
    })
public final class HistoryCommand implements Callable<Integer> {
  private static final List<String> METRICS =
      List.of("e2e_p50_ms", "ttft_p50_ms", "tpot_p50_ms", "throughput_tokens_per_s");

  @Mixin ResultsOptions where = new ResultsOptions();

  @Option(
      names = "--job",
      paramLabel = "NAME",
      description = "the job (manifest job_name; default: the latest run's)")
  String job;

  @Option(
      names = "--last",
      defaultValue = "10",
      paramLabel = "N",
      description = "runs shown (default: ${DEFAULT-VALUE})")
  int last;

  @Option(
      names = "--metric",
      defaultValue = "e2e_p50_ms",
      description =
          "e2e_p50_ms, ttft_p50_ms, tpot_p50_ms or throughput_tokens_per_s (default: ${DEFAULT-VALUE})")
  String metric;

  @Option(
      names = "--out",
      defaultValue = "history",
      paramLabel = "DIR",
      description =
          "where the plots go, one history-<experiment>.png each (default: ./${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!METRICS.contains(metric)) {
      throw new BadInputException(
          "--metric '" + metric + "' is not accepted; accepted: " + String.join(", ", METRICS));
    }
    if (last < 1 || last > 1000) {
      throw new BadInputException("--last " + last + " is not accepted: give 1 to 1000 runs");
    }
    SelectedRun selected = SelectedRun.open(where, true);
    SparkSession spark = selected.spark();
    // the history view and the views it reads only: each other view would cost about a second
    List<String> notes =
        Views.load(spark, selected.root().uri(), "*", Views.closure(Set.of("history")));
    if (!spark.catalog().tableExists("history")) {
      throw new BadInputException(
          "no history under " + selected.root().uri() + ": " + String.join("; ", notes));
    }
    // no lambdas over Spark rows: they would put Spark types in this command's method signatures
    List<String> latest =
        strings(
            spark
                .sql(
                    "SELECT job_name FROM history WHERE job_name IS NOT NULL"
                        + " ORDER BY started_at DESC LIMIT 1")
                .collectAsList());
    if (job == null && latest.isEmpty()) {
      throw new BadInputException("no run under " + selected.root().uri() + " has a job_name");
    }
    String name = job != null ? job : latest.get(0);
    List<String> runs =
        new ArrayList<>(
            strings(
                spark
                    .sql(
                        "SELECT run_id FROM history WHERE job_name = :job"
                            + " GROUP BY run_id ORDER BY max(started_at) DESC LIMIT :n",
                        Map.<String, Object>of("job", name, "n", last))
                    .collectAsList()));
    if (runs.isEmpty()) {
      throw new BadInputException("no run of job '" + name + "' under " + selected.root().uri());
    }
    java.util.Collections.reverse(runs);
    List<Row> rows =
        spark
            .sql(
                "SELECT experiment, point, run_id, "
                    + metric
                    + " AS v, verdict, env_read_gbps FROM"
                    + " history WHERE job_name = :job ORDER BY experiment, point",
                Map.<String, Object>of("job", name))
            .collectAsList();
    Files.createDirectories(out);
    System.out.printf(
        Locale.ROOT,
        "job %s: %s over its last %d run(s), oldest first: %s%n",
        name,
        metric,
        runs.size(),
        String.join(", ", runs));
    System.out.println(
        "marks: * slower, + faster, e environment (changed as much as the machine), ~ env changed or"
            + " unstable (compare's verdict in that run's latest comparison)");
    Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
    Map<String, Map<String, String[]>> verdicts = new LinkedHashMap<>();
    Map<String, List<Double>> bandwidth = new LinkedHashMap<>();
    for (Row r : rows) {
      int at = runs.indexOf(r.getString(2));
      if (at < 0) {
        continue;
      }
      double[] v =
          values
              .computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>())
              .computeIfAbsent(r.getString(1), k -> nans(runs.size()));
      v[at] = r.isNullAt(3) ? Double.NaN : ((Number) r.get(3)).doubleValue();
      verdicts.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>())
              .computeIfAbsent(r.getString(1), k -> new String[runs.size()])[at] =
          r.getString(4);
      if (!r.isNullAt(5)) {
        bandwidth.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(r.getDouble(5));
      }
    }
    for (var e : values.entrySet()) {
      System.out.println();
      System.out.println("experiment " + e.getKey());
      for (var p : e.getValue().entrySet()) {
        StringBuilder line = new StringBuilder("  " + p.getKey() + ":");
        String[] v = verdicts.get(e.getKey()).get(p.getKey());
        for (int i = 0; i < runs.size(); i++) {
          line.append(
              Double.isNaN(p.getValue()[i])
                  ? " -"
                  : String.format(Locale.ROOT, " %.3g%s", p.getValue()[i], mark(v[i])));
        }
        System.out.println(line);
      }
      Plot plot =
          TrendPlots.trend(e.getKey(), metric, runs, e.getValue(), verdicts.get(e.getKey()));
      Path png = out.resolve(plot.name() + ".png");
      Files.write(png, plot.png());
      System.out.println("  plot: " + png);
    }
    StringBuilder env = new StringBuilder("read bandwidth (median over points, GB/s):");
    for (String run : runs) {
      List<Double> b = bandwidth.getOrDefault(run, List.of());
      env.append(
          b.isEmpty()
              ? " -"
              : String.format(
                  Locale.ROOT, " %.3g", b.stream().sorted().toList().get(b.size() / 2)));
    }
    System.out.println(env);
    return 0;
  }

  /** The first column of each row, as strings. */
  private static List<String> strings(List<?> rows) {
    List<String> out = new ArrayList<>();
    for (Object r : rows) {
      out.add(((org.apache.spark.sql.Row) r).getString(0));
    }
    return out;
  }

  private static double[] nans(int n) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, Double.NaN);
    return out;
  }

  private static String mark(String verdict) {
    if (verdict == null) {
      return "";
    }
    return switch (verdict) {
      case "slower" -> "*";
      case "faster" -> "+";
      case "environment" -> "e";
      case "env changed", "unstable" -> "~";
      default -> "";
    };
  }
}
