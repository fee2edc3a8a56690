package dev.llmsweep.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The engine benchmark's summary lines, the ones the README quotes: throughput per batch, each
 * batch against the batch-1 memory-bandwidth floor, device memory on a GPU, and on CPU decode set
 * against the measured FMA peak and read bandwidth.
 */
public final class EngineReport {
  private EngineReport() {}

  /** The summary lines the README quotes. */
  public static void print(EngineBenchmark.Result r, PrintStream out) {
    out.printf(Locale.ROOT, "%n== engine benchmark: %s on %s ==%n", r.model(), r.device());
    out.printf(Locale.ROOT, "backend                 %10s%n", r.backend());
    out.printf(
        Locale.ROOT,
        "prefill                 %10.0f tok/s (%d-token prompt)%n",
        r.prefillTokensPerSecond(),
        r.prefillTokens());
    for (int i = 0; i < r.batches().length; i++) {
      out.printf(
          Locale.ROOT,
          "decode batch %-4d       %10.1f tok/s  (%.2f ms/step, %.0f GFLOPS in projections)%n",
          r.batches()[i],
          r.decodeTokensPerSecond()[i],
          r.decodeStepMs()[i],
          r.decodeFlops(i) / 1e9);
    }
    for (int i = 0; i < r.batches().length; i++) {
      out.printf(
          Locale.ROOT,
          "batch-%-4d vs floor     %10.0f %%   (the batch-1 floor / this step)%n",
          r.batches()[i],
          100 * r.floorStepMs() / r.decodeStepMs()[i]);
    }
    for (int i = 0; i < r.batches().length; i++) {
      if (r.peakDeviceBytes()[i] >= 0) {
        double budget = r.weightBytes() + r.kvCacheBytes()[i];
        out.printf(
            Locale.ROOT,
            "peak device memory b%-4d %8.2f GB = %.2f x (weights %.2f GB + KV cache %.2f GB)  (target <= 1.15 x; nvidia-smi, CUDA context included)%n",
            r.batches()[i],
            r.peakDeviceBytes()[i] / 1e9,
            r.peakDeviceBytes()[i] / budget,
            r.weightBytes() / 1e9,
            r.kvCacheBytes()[i] / 1e9);
      }
    }
    EngineBenchmark.LongDecodeMemory m = r.longDecode();
    if (m != null) {
      out.printf(
          Locale.ROOT,
          "device memory b%-4d step 10 %.2f GB, step %d %.2f GB (%+.0f MB; %d-token decode, nvidia-smi)%n",
          m.batch(),
          m.atStep10() / 1e9,
          m.tokens() - 1,
          m.atLastStep() / 1e9,
          (m.atLastStep() - m.atStep10()) / 1e6,
          m.tokens());
    }
    out.printf(
        Locale.ROOT, "tiny model load         %10.0f ms     (target < 1000 ms)%n", r.tinyLoadMs());
    out.printf(Locale.ROOT, "copy bandwidth          %10.2f GB/s%n", r.copyBytesPerSecond() / 1e9);
    out.printf(
        Locale.ROOT,
        "batch-1 floor           %10.2f ms/step (%.1f tok/s) = %.1f MB / copy bandwidth (%s copy)%n",
        r.floorStepMs(),
        1000 / r.floorStepMs(),
        r.weightBytesPerStep() / 1e6,
        r.copyKind());
    out.printf(
        Locale.ROOT,
        "batch-1 vs floor        %10.0f %%   (target >= 50 %%)%n",
        100 * r.batchOneRatio());
    int last = r.batches().length - 1;
    if (last > 0 && r.batches()[0] == 1) {
      out.printf(
          Locale.ROOT,
          "batch-%d / batch-1      %10.1f x   (target >= 10 x)%n",
          r.batches()[last],
          r.decodeTokensPerSecond()[last] / r.decodeTokensPerSecond()[0]);
    }
    if (!Double.isNaN(r.fmaPeakFlops())) {
      out.printf(
          Locale.ROOT,
          "FMA peak                %10.1f GFLOPS float32 (measured)%n",
          r.fmaPeakFlops() / 1e9);
      out.printf(
          Locale.ROOT,
          "read bandwidth          %10.2f GB/s (measured)%n",
          r.readBytesPerSecond() / 1e9);
      double readFloorMs = r.weightBytesPerStep() / r.readBytesPerSecond() * 1000;
      out.printf(
          Locale.ROOT,
          "batch-1 vs read bw      %10.0f %%   (%.2f ms/step at the read bandwidth)%n",
          100 * readFloorMs / r.decodeStepMs()[0],
          readFloorMs);
      if (last > 0 && r.batches()[0] == 1) {
        int b = r.batches()[last];
        double computeFloorMs = (double) r.flopsPerToken() * b / r.fmaPeakFlops() * 1000;
        out.printf(
            Locale.ROOT,
            "batch-%d vs FMA peak    %10.0f %%   (%.2f ms/step at the peak, projections only)%n",
            b,
            100 * r.decodeFlops(last) / r.fmaPeakFlops(),
            computeFloorMs);
        out.printf(
            Locale.ROOT,
            "batch-%d / batch-1 ceiling %7.1f x   (batch %d at the FMA peak, batch 1 as measured)%n",
            b,
            b * r.decodeStepMs()[0] / computeFloorMs,
            b);
      }
    }
  }
}
