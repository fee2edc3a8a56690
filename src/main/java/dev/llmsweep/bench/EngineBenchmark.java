package dev.llmsweep.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.LlamaGenerator;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.metrics.BatchMetrics;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.cpu.Projection;
import dev.llmsweep.model.torchscript.ScriptDecoder;
import dev.llmsweep.probe.Roofline;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The engine benchmark: prefill and decode throughput of one model on one device, the
 * memory-bandwidth floor of batch-1 decode (weight bytes read per step / measured copy bandwidth:
 * the host's on CPU, the device's own on a GPU) and how close each batch comes to it; on a GPU also
 * the peak device memory per batch against weights + KV cache. On CPU it also measures the two
 * roofs ({@link Roofline}: FMA peak, read bandwidth) and sets decode against them, since large
 * batches are bound by arithmetic, not memory.
 */
public final class EngineBenchmark {

  /** What one run measured. */
  public record Result(
      String model,
      String device,
      long weightBytesPerStep,
      double copyBytesPerSecond,
      double prefillTokensPerSecond,
      int prefillTokens,
      int[] batches,
      double[] decodeTokensPerSecond,
      double[] decodeStepMs,
      double tinyLoadMs,
      long flopsPerToken,
      double fmaPeakFlops,
      double readBytesPerSecond,
      String backend,
      String copyKind,
      long weightBytes,
      long[] kvCacheBytes,
      long[] peakDeviceBytes,
      LongDecodeMemory longDecode) {

    /** Projection FLOP/s of decode at batch index {@code i}: 2 per weight per row. */
    public double decodeFlops(int i) {
      return (double) flopsPerToken * batches[i] / (decodeStepMs[i] / 1000);
    }

    public double floorStepMs() {
      return weightBytesPerStep / copyBytesPerSecond * 1000;
    }

    public double batchOneRatio() {
      return floorStepMs() / decodeStepMs[0];
    }
  }

  /**
   * Device memory in use (nvidia-smi) after step 10 and after the last step of one untimed decode
   * of {@code tokens} tokens at batch {@code batch}: equal when nothing a step makes outlives it.
   */
  public record LongDecodeMemory(int batch, int tokens, long atStep10, long atLastStep) {}

  private final String model;
  private final ComputeDevice device;
  private final int[] batches;
  private final int decodeTokens;
  private final int prefillTokens;
  private final int repeats;
  private final SamplingParams sampling;
  private final int warmups;
  private final int longDecodeTokens;

  public EngineBenchmark(
      String model,
      ComputeDevice device,
      int[] batches,
      int decodeTokens,
      int prefillTokens,
      int repeats,
      SamplingParams sampling,
      int warmups,
      int longDecodeTokens) {
    this.model = model;
    this.device = device;
    this.batches = batches.clone();
    this.decodeTokens = decodeTokens;
    this.prefillTokens = prefillTokens;
    this.repeats = repeats;
    this.sampling = sampling;
    this.warmups = warmups;
    this.longDecodeTokens = longDecodeTokens;
  }

  public Result run(PrintStream log) throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    boolean gpu = device.djlDevice().isGpu();
    double copy = Double.NaN;
    if (!gpu) {
      copy = CopyBandwidth.measure(512, 5, threads);
      log.printf(
          Locale.ROOT,
          "copy bandwidth: %.2f GB/s (STREAM copy convention, %d threads)%n",
          copy / 1e9,
          threads);
    }
    double peak = Double.NaN;
    double read = Double.NaN;
    if (device.name().equals("cpu") && Projection.hostKernelAvailable()) {
      peak = Roofline.fmaPeak(threads);
      read = Roofline.readBandwidth(512, threads);
      log.printf(
          Locale.ROOT,
          "FMA peak: %.1f GFLOPS float32, read bandwidth: %.2f GB/s (%d threads)%n",
          peak / 1e9,
          read / 1e9,
          threads);
    }
    Engines.load("tiny", ComputeDevice.cpu()).close(); // writes the files once, warms DJL up
    long tinyStart = System.nanoTime();
    Engines.load("tiny", ComputeDevice.cpu()).close();
    double tinyLoadMs = (System.nanoTime() - tinyStart) / 1e6;
    log.printf(Locale.ROOT, "tiny model load: %.0f ms%n", tinyLoadMs);
    try (LlamaGenerator g = Engines.load(model, device)) {
      if (gpu && g.model() instanceof ScriptDecoder script) {
        long bytes = 1L << 30;
        copy = 2.0 * bytes / script.copySeconds(bytes, 20); // read + write, as on the host
        log.printf(
            Locale.ROOT,
            "device copy bandwidth: %.2f GB/s (1 GiB device-to-device, read + write counted)%n",
            copy / 1e9);
      }
      int vocab = g.info().vocabSize();
      SplittableRandom rng = new SplittableRandom(42);
      long stepBytes =
          g.model().config().decodeParameterCount() * g.model().dtype().getNumOfBytes();
      log.printf(
          Locale.ROOT,
          "model %s on %s %s (%s): %,d parameters, %.1f MB of weights read per decode step%n",
          model,
          device.name(),
          device.dtype(),
          g.model().backend(),
          g.info().parameters(),
          stepBytes / 1e6);

      // prefill: one long prompt, one new token
      List<int[]> longPrompt = List.of(randomIds(rng, prefillTokens, vocab));
      for (int w = 0; w < warmups; w++) {
        g.generate(GenerationRequest.greedy(longPrompt, 1), TokenListener.NONE);
      }
      double[] prefill = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        BatchOutput out = g.generate(GenerationRequest.greedy(longPrompt, 1), TokenListener.NONE);
        prefill[r] = prefillTokens / (BatchMetrics.of(out).prefillMs() / 1000);
      }
      double prefillTps = median(prefill);
      log.printf(Locale.ROOT, "prefill: %d tokens at %.0f tok/s%n", prefillTokens, prefillTps);

      double[] decodeTps = new double[batches.length];
      double[] stepMs = new double[batches.length];
      long[] kvBytes = new long[batches.length];
      long[] peakBytes = new long[batches.length];
      LlamaConfig c = g.model().config();
      for (int i = 0; i < batches.length; i++) {
        List<int[]> prompts = new ArrayList<>();
        for (int b = 0; b < batches[i]; b++) {
          prompts.add(randomIds(rng, 16, vocab));
        }
        GenerationRequest request =
            new GenerationRequest(prompts, decodeTokens, sampling, true, List.of());
        for (int w = 0; w < warmups; w++) {
          g.generate(request, TokenListener.NONE);
        }
        double[] steps = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          double[] decode = BatchMetrics.of(g.generate(request, TokenListener.NONE)).decodeStepMs();
          steps[r] = median(decode);
        }
        stepMs[i] = median(steps);
        decodeTps[i] = batches[i] / (stepMs[i] / 1000);
        kvBytes[i] =
            2L
                * c.layers()
                * batches[i]
                * c.kvHeads()
                * (16L + decodeTokens)
                * c.headDim()
                * g.model().dtype().getNumOfBytes();
        peakBytes[i] = gpu ? peakDeviceBytes(g, request) : -1;
        log.printf(
            Locale.ROOT,
            "decode batch %3d: %.2f ms/step, %.1f tok/s%s%n",
            batches[i],
            stepMs[i],
            decodeTps[i],
            peakBytes[i] < 0
                ? ""
                : String.format(Locale.ROOT, ", peak device memory %.2f GB", peakBytes[i] / 1e9));
      }
      LongDecodeMemory longDecode =
          gpu && longDecodeTokens > 10
              ? longDecodeMemory(g, rng, vocab, batches[batches.length - 1])
              : null;
      if (longDecode != null) {
        log.printf(
            Locale.ROOT,
            "device memory, batch %d, %d-token decode: %.2f GB after step 10, %.2f GB after step %d%n",
            longDecode.batch(),
            longDecode.tokens(),
            longDecode.atStep10() / 1e9,
            longDecode.atLastStep() / 1e9,
            longDecode.tokens() - 1);
      }
      long flopsPerToken = 2 * g.model().config().decodeParameterCount();
      return new Result(
          model,
          device.name(),
          stepBytes,
          copy,
          prefillTps,
          prefillTokens,
          batches,
          decodeTps,
          stepMs,
          tinyLoadMs,
          flopsPerToken,
          peak,
          read,
          g.model().backend(),
          gpu ? "device" : "host",
          g.model().weightBytes(),
          kvBytes,
          peakBytes,
          longDecode);
    }
  }

  /**
   * Peak device memory of one more, untimed run of {@code request}, sampled by nvidia-smi; -1 when
   * nvidia-smi is absent. Untimed because sampling slows the step: with nvidia-smi polling every 20
   * ms during timed runs, batch-1 steps on the H200 took 10.9-11.9 ms instead of 6.2 ms.
   */
  private long peakDeviceBytes(LlamaGenerator g, GenerationRequest request)
      throws InterruptedException {
    JniUtils.emptyCudaCache(); // blocks cached for an earlier batch would count for this one
    try (DeviceMemory memory = DeviceMemory.start(device.djlDevice().getDeviceId())) {
      if (memory == null) {
        return -1;
      }
      g.generate(request, TokenListener.NONE);
      return memory.peakBytes();
    }
  }

  /**
   * Device memory after step 10 and after the last step of one untimed {@code
   * longDecodeTokens}-token decode at {@code batch}, read by nvidia-smi from the step listener (the
   * step's ids are on the host by then, so its work is done); null when nvidia-smi is absent.
   */
  private LongDecodeMemory longDecodeMemory(
      LlamaGenerator g, SplittableRandom rng, int vocab, int batch) {
    List<int[]> prompts = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      prompts.add(randomIds(rng, 16, vocab));
    }
    int last = longDecodeTokens - 1; // step 0 is the prefill's token
    long[] used = {-1, -1};
    TokenListener sample =
        (step, ids, nanos) -> {
          if (step == 10) {
            used[0] = DeviceMemory.usedBytes(device.djlDevice().getDeviceId());
          } else if (step == last) {
            used[1] = DeviceMemory.usedBytes(device.djlDevice().getDeviceId());
          }
        };
    g.generate(new GenerationRequest(prompts, longDecodeTokens, sampling, true, List.of()), sample);
    return used[0] < 0 || used[1] < 0
        ? null
        : new LongDecodeMemory(batch, longDecodeTokens, used[0], used[1]);
  }

  static int[] randomIds(SplittableRandom rng, int n, int vocab) {
    int[] ids = new int[n];
    ids[0] = 1;
    for (int i = 1; i < n; i++) {
      ids[i] = 3 + rng.nextInt(vocab - 3);
    }
    return ids;
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
