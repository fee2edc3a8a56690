package dev.llmsweep.cli;

import dev.llmsweep.bench.ClientBenchmark;
import dev.llmsweep.bench.CopyBandwidth;
import dev.llmsweep.engine.JitScope;
import dev.llmsweep.errors.BadInputException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code submit bench-client}: how faithfully the endpoint client times a server, without Spark
 * ({@link ClientBenchmark}): late chunks and submit-to-receive delays at the issue-23 batch sizes,
 * printed with the CPU, the load average and a memory bandwidth probe. Exit 0 whatever the figures:
 * on a loaded machine they say so, and only a quiet machine's figures meet the targets.
 */
@Command(
    name = "bench-client",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the endpoint client against a scripted server on 127.0.0.1 that stamps its sends:",
      "chunks stamped > 2 ms late, and submit-to-server-receive, at batch 32 x 5 and 128 x 3 by default."
    })
public final class BenchClientCommand implements Callable<Integer> {
  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "32,128",
      description = "batch sizes (default: ${DEFAULT-VALUE})")
  int[] batches;

  @Option(
      names = "--repetitions",
      split = ",",
      defaultValue = "5,3",
      description = "measured calls per batch size (default: ${DEFAULT-VALUE})")
  int[] repetitions;

  @Option(
      names = "--tokens",
      defaultValue = "32",
      description = "tokens per request (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(
      names = "--first-ms",
      defaultValue = "50",
      description = "server time to first token (default: ${DEFAULT-VALUE})")
  double firstMs;

  @Option(
      names = "--gap-ms",
      defaultValue = "20",
      description = "server time between tokens (default: ${DEFAULT-VALUE})")
  double gapMs;

  @Override
  public Integer call() throws Exception {
    JitScope.apply(); // the client's JVM compiles as a sweep's does
    if (batches.length != repetitions.length) {
      throw new BadInputException(
          "--batches has "
              + batches.length
              + " sizes and --repetitions "
              + repetitions.length
              + " counts; give one count per batch size, e.g. --batches 32,128 --repetitions 5,3");
    }
    if (tokens < 1 || !(firstMs >= 0) || !(gapMs >= 0)) {
      throw new BadInputException("--tokens must be >= 1 and --first-ms, --gap-ms >= 0");
    }
    System.out.printf(
        Locale.ROOT,
        "bench-client: %s, %d cores, load average %.2f; memory copy bandwidth %.1f GB/s"
            + " (before)%n",
        cpu(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        CopyBandwidth.measure(256, 3, 1) / 1e9);
    List<ClientBenchmark.Figures> figures =
        ClientBenchmark.run(batches, repetitions, tokens, firstMs, gapMs);
    ClientBenchmark.print(figures, System.out);
    System.out.printf(
        Locale.ROOT,
        "memory copy bandwidth %.1f GB/s (after); load average %.2f%n",
        CopyBandwidth.measure(256, 3, 1) / 1e9,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return 0;
  }

  private static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .orElse("CPU unknown");
    } catch (Exception e) {
      return "CPU unknown";
    }
  }
}
