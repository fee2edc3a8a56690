package dev.llmsweep.cli;

import dev.llmsweep.bench.ViewsBenchmark;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.spark.SparkSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code submit bench-views}: time the points table and every view over synthetic raw rows. */
@Command(
    name = "bench-views",
    mixinStandardHelpOptions = true,
    description =
        "Aggregate and build every view over synthetic request rows; report the time and peak memory.")
public final class BenchViewsCommand implements Callable<Integer> {
  @Option(
      names = "--rows",
      defaultValue = "10000000",
      description = "request rows (default: ${DEFAULT-VALUE})")
  long rows;

  @Option(
      names = "--points",
      defaultValue = "120",
      description = "sweep points (default: ${DEFAULT-VALUE})")
  int points;

  @Option(
      names = "--tokens",
      defaultValue = "8",
      description = "output tokens per request (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(
      names = "--dir",
      description = {
        "where to write the synthetic results (default: a temporary directory, deleted);",
        "kept, and reused by a later run with the same --dir"
      })
  Path dir;

  @Override
  public Integer call() throws IOException {
    if (rows < points || points < 1 || tokens < 2) {
      throw new BadInputException(
          "--points >= 1, --rows >= --points and --tokens >= 2 are required");
    }
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("llm-sweep-bench-views") : dir;
    try {
      SparkSession spark = SparkSettings.analysisSession();
      ViewsBenchmark bench = new ViewsBenchmark(spark, root);
      boolean reuse = !temporary && bench.generated();
      double generate = 0;
      if (reuse) {
        System.out.println(
            "reusing the synthetic rows under " + root + " (--rows, --points, --tokens ignored)");
      } else {
        System.out.printf(
            "writing %,d synthetic request rows (%d points, %d tokens each) under %s ...%n",
            rows, points, tokens, root);
        generate = bench.generate(rows, points, tokens);
      }
      ViewsBenchmark.report(bench.run(generate), System.out);
      return 0;
    } finally {
      if (temporary) {
        try (Stream<Path> all = Files.walk(root)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
