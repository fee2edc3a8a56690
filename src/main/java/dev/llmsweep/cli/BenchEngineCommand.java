package dev.llmsweep.cli;

import dev.llmsweep.bench.EngineBenchmark;
import dev.llmsweep.bench.EngineReport;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.errors.BadInputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code submit bench-engine}: the engine benchmark, without Spark. */
@Command(
    name = "bench-engine",
    mixinStandardHelpOptions = true,
    description = "Measure prefill and decode throughput and the batch-1 memory-bandwidth floor.")
public final class BenchEngineCommand implements Callable<Integer> {

  @Mixin ModelOptions model = new ModelOptions("synthetic:bench-110m");

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "1,8,32",
      description = "decode batch sizes (default: ${DEFAULT-VALUE})")
  int[] batches;

  @Option(
      names = "--decode-tokens",
      defaultValue = "64",
      description = "tokens per decode run (default: ${DEFAULT-VALUE})")
  int decodeTokens;

  @Option(
      names = "--prefill-tokens",
      defaultValue = "512",
      description = "prompt length for the prefill figure (default: ${DEFAULT-VALUE})")
  int prefillTokens;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      description = "measured runs per figure, median reported (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "decode sampling temperature, 0 greedy (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(
      names = "--top-p",
      defaultValue = "1",
      description = "decode nucleus sampling mass (default: ${DEFAULT-VALUE})")
  double topP;

  @Option(
      names = "--warmups",
      defaultValue = "2",
      description =
          "unmeasured runs before each figure; TorchScript optimises a method after its first calls at a shape (default: ${DEFAULT-VALUE})")
  int warmups;

  @Option(
      names = "--long-decode",
      defaultValue = "1024",
      description =
          "on a GPU, tokens of one untimed decode at the largest batch whose device memory is read after step 10 and after its last step; 0 skips it (default: ${DEFAULT-VALUE})")
  int longDecode;

  @Override
  public Integer call() throws Exception {
    if (repeats < 1 || decodeTokens < 2 || prefillTokens < 1) {
      throw new BadInputException(
          "--repeats >= 1, --decode-tokens >= 2 and --prefill-tokens >= 1 are required");
    }
    if (warmups < 0) {
      throw new BadInputException("--warmups >= 0 is required");
    }
    if (longDecode != 0 && longDecode <= 10) {
      throw new BadInputException(
          "--long-decode "
              + longDecode
              + ": give more than 10 tokens (memory is read after step 10), or 0 to skip it");
    }
    SamplingParams sampling = new SamplingParams(temperature, topP, 0, 1);
    EngineBenchmark bench =
        new EngineBenchmark(
            model.model,
            model.computeDevice(),
            batches,
            decodeTokens,
            prefillTokens,
            repeats,
            sampling,
            warmups,
            longDecode);
    EngineReport.print(bench.run(System.out), System.out);
    return 0;
  }
}
