package dev.llmsweep.cli;

import dev.llmsweep.bench.EngineBenchmark;
import dev.llmsweep.errors.BadInputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code submit bench-engine}: the engine benchmark, without Spark. */
@Command(name = "bench-engine", mixinStandardHelpOptions = true,
    description = "Measure prefill and decode throughput and the batch-1 memory-bandwidth floor.")
public final class BenchEngineCommand implements Callable<Integer> {

  @Mixin
  ModelOptions model = new ModelOptions("synthetic:bench-110m");

  @Option(names = "--batches", split = ",", defaultValue = "1,8,32", description = "decode batch sizes (default: ${DEFAULT-VALUE})")
  int[] batches;

  @Option(names = "--decode-tokens", defaultValue = "64", description = "tokens per decode run (default: ${DEFAULT-VALUE})")
  int decodeTokens;

  @Option(names = "--prefill-tokens", defaultValue = "512", description = "prompt length for the prefill figure (default: ${DEFAULT-VALUE})")
  int prefillTokens;

  @Option(names = "--repeats", defaultValue = "3", description = "measured runs per figure, median reported (default: ${DEFAULT-VALUE})")
  int repeats;

  @Override
  public Integer call() throws Exception {
    if (repeats < 1 || decodeTokens < 2 || prefillTokens < 1) {
      throw new BadInputException("--repeats >= 1, --decode-tokens >= 2 and --prefill-tokens >= 1 are required");
    }
    EngineBenchmark bench = new EngineBenchmark(model.model, model.computeDevice(), batches, decodeTokens, prefillTokens, repeats);
    EngineBenchmark.report(bench.run(System.out), System.out);
    return 0;
  }
}
