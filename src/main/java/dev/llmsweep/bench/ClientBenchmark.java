package dev.llmsweep.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.engine.openai.Api;
import dev.llmsweep.engine.openai.Endpoint;
import dev.llmsweep.engine.openai.OpenAiGenerator;
import dev.llmsweep.probe.HostCpu;
import dev.llmsweep.spark.JitClock;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How faithfully the endpoint client times a server (issue 23): closed-loop calls against a {@link
 * StampingServer} in this JVM, and for every streamed chunk the delay from the server's stamp just
 * before its write to the client's arrival stamp of the token it carries; for every request the
 * delay from the client's start stamp (where its TTFT counts from) to the server's stamp of its
 * last byte received. Each batch size gets unmeasured calls first (the connections are opened, the
 * code is compiled), until {@link #STILL_CALLS} in a row ran with the JIT compilers still ({@link
 * JitClock.Window#settled} with at most {@link #STILL_SHARE} of the call compiling, and nothing
 * compiling or queued for C2 at its end; at most {@link #WARMUP_MAX}), then its measured
 * repetitions.
 */
public final class ClientBenchmark {
  /** Chunks stamped later than this after the server sent them count as late. */
  public static final double LATE_MS = 2.0;

  public static final double LATE_SHARE_TARGET = 0.001;
  public static final double SUBMIT_TO_RECEIVE_TARGET_MS = 1.0;

  /** Unmeasured calls per batch size at most, waiting for a still JIT. */
  static final int WARMUP_MAX = 20;

  /**
   * The JIT's compile time, as a share of a warm-up call, under which the JIT counts as still: a
   * hundredth (a sweep point's warm-ups accept a tenth, {@link JitClock#quiet}).
   */
  static final double STILL_SHARE = 0.01;

  /**
   * Warm-up calls in a row that must find the JIT still: one was not enough (in 4 of 15 runs on
   * 2026-12-07 the warm-ups ended after 4 calls, and the JIT then compiled 283-422 ms during batch
   * 32's measured calls, with up to 0.41% of their chunks late; with two in a row, 9 to 20 warm-up
   * calls and 23-103 ms).
   */
  static final int STILL_CALLS = 2;

  /** One batch size's figures. */
  public record Figures(
      int batch,
      int repetitions,
      int chunks,
      int late,
      double lateP99Ms,
      double lateMaxMs,
      double submitToReceiveP50Ms,
      double submitToReceiveP99Ms,
      int failed,
      long gcPauses,
      long gcMillis,
      long jitMillis,
      int warmups,
      boolean warmedStill,
      HostCpu.Share cpu) {
    public double lateShare() {
      return chunks == 0 ? 0 : (double) late / chunks;
    }
  }

  private ClientBenchmark() {}

  /**
   * Runs each {@code batches[i]} for {@code repetitions[i]} measured calls of {@code tokens} tokens
   * per request, the first after {@code firstMs}, then one every {@code gapMs}.
   */
  public static List<Figures> run(
      int[] batches, int[] repetitions, int tokens, double firstMs, double gapMs) throws Exception {
    List<Figures> out = new ArrayList<>();
    try (StampingServer server = new StampingServer(firstMs, gapMs);
        OpenAiGenerator gen =
            new OpenAiGenerator(
                new Endpoint(server.baseUrl(), "bench", Api.COMPLETIONS, null, 60, 30, 32000),
                "endpoint")) {
      long seed = 1;
      for (int b = 0; b < batches.length; b++) {
        // unmeasured calls (connections open, code compiled) until two in a row ran with the JIT
        // still (STILL_CALLS): the JIT compiled 0.5-1 s during batch 32's measured calls after a
        // single warm-up call, on compiler threads that take a core from the client, still
        // 0.5-0.7 s (mostly C1) after warm-ups that ended on a call during which it compiled less
        // than a tenth of the time, and 0.3-0.4 s after one still call. Each is a whole measured
        // call, its stamps read and dropped, so that reading them is compiled too
        int batch = b;
        long firstSeed = seed;
        WarmUp warm =
            warmUp(
                JitClock.JVM,
                k ->
                    call(
                        gen,
                        server,
                        batches[batch],
                        tokens,
                        firstSeed + k * 1_000_000L,
                        new ArrayList<>(),
                        new ArrayList<>()));
        seed += warm.calls() * 1_000_000L;
        collectBefore();
        List<Double> late = new ArrayList<>();
        List<Double> submit = new ArrayList<>();
        int failed = 0;
        long[] gcBefore = gc();
        long jitBefore = JitClock.JVM.compileMillis();
        HostCpu.Snapshot cpuBefore = HostCpu.read();
        for (int r = 0; r < repetitions[b]; r++) {
          failed += call(gen, server, batches[b], tokens, seed, late, submit);
          seed += 1_000_000;
        }
        long[] gcAfter = gc();
        long jitAfter = JitClock.JVM.compileMillis();
        HostCpu.Share cpu = HostCpu.between(cpuBefore, HostCpu.read());
        double[] l = late.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] st = submit.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int lateCount = (int) Arrays.stream(l).filter(x -> x > LATE_MS).count();
        out.add(
            new Figures(
                batches[b],
                repetitions[b],
                l.length,
                lateCount,
                quantile(l, 0.99),
                l.length == 0 ? Double.NaN : l[l.length - 1],
                quantile(st, 0.5),
                quantile(st, 0.99),
                failed,
                gcAfter[0] - gcBefore[0],
                gcAfter[1] - gcBefore[1],
                jitAfter - jitBefore,
                warm.calls(),
                warm.still(),
                cpu));
      }
    }
    return out;
  }

  /**
   * One call of {@code batch} requests: each chunk's delay from the server's send stamp to the
   * client's arrival stamp into {@code late}, each request's submit-to-receive into {@code submit};
   * returns the requests that failed.
   */
  private static int call(
      OpenAiGenerator gen,
      StampingServer server,
      int batch,
      int tokens,
      long seed,
      List<Double> late,
      List<Double> submit)
      throws Exception {
    server.clear();
    BatchOutput o = gen.generate(request(batch, tokens, seed), TokenListener.NONE);
    int failed = 0;
    for (int i = 0; i < o.requests().size(); i++) {
      RequestOutput req = o.requests().get(i);
      StampingServer.Stamps s = server.stamps(seed + i);
      if (req.failed() || s == null) {
        failed++;
        continue;
      }
      submit.add((s.receivedNanos() - req.startNanos()) / 1e6);
      long[] arrived = req.tokenHostNanos();
      for (int k = 0; k < Math.min(arrived.length, s.sentNanos().length); k++) {
        late.add((arrived[k] - s.sentNanos()[k]) / 1e6);
      }
    }
    return failed;
  }

  /**
   * Collects what came before (the bandwidth probe's 256 MiB of arrays, the warm-up's garbage) now,
   * not in a pause during the measured calls that would stop every stream at once and be counted as
   * the client's; the heap is kept at its size (a full collection would shrink it, and a small
   * young generation collects more often during the calls).
   */
  private static void collectBefore() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String max = null;
    try {
      max = vm.getVMOption("MaxHeapFreeRatio").getValue();
      vm.setVMOption("MaxHeapFreeRatio", "100");
    } catch (RuntimeException notHotSpot) {
      max = null; // another JVM: the collection alone (its heap may shrink)
    }
    try {
      System.gc();
    } finally {
      if (max != null) {
        vm.setVMOption("MaxHeapFreeRatio", max);
      }
    }
  }

  /**
   * Collections so far and their time in ms: a collection stops every stream at once, so late
   * chunks during one are the client's JVM, and the figures say how many there were.
   */
  private static long[] gc() {
    long[] out = new long[2];
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      out[0] += Math.max(0, g.getCollectionCount());
      out[1] += Math.max(0, g.getCollectionTime());
    }
    return out;
  }

  private static GenerationRequest request(int n, int tokens, long seed) {
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      prompts.add(new int[] {3, 4, 5, 6, 7, 8, 9, 10});
    }
    return new GenerationRequest(
        prompts, tokens, new SamplingParams(0, 1, 0, seed), true, List.of());
  }

  /** How a batch size's warm-up ended: after how many calls, and whether the JIT was still. */
  record WarmUp(int calls, boolean still) {}

  /** One unmeasured call, the {@code k}-th of its warm-up. */
  @FunctionalInterface
  interface WarmUpCall {
    void run(int k) throws Exception;
  }

  /**
   * Runs {@code call} until {@link #STILL_CALLS} calls in a row found {@code jit} still ({@link
   * JitClock.Window#settled} with {@link #STILL_SHARE}), at most {@link #WARMUP_MAX} calls.
   */
  static WarmUp warmUp(JitClock jit, WarmUpCall call) throws Exception {
    int calls = 0;
    int stillInARow = 0;
    while (stillInARow < STILL_CALLS && calls < WARMUP_MAX) {
      JitClock.Window window = jit.window();
      call.run(calls);
      stillInARow = window.settled(STILL_SHARE) ? stillInARow + 1 : 0;
      calls++;
    }
    return new WarmUp(calls, stillInARow >= STILL_CALLS);
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "?" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  private static double quantile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The figures as the command prints them, with the targets. */
  public static void print(List<Figures> figures, PrintStream out) {
    for (Figures f : figures) {
      out.printf(
          Locale.ROOT,
          "batch %d x %d: %d chunks, %d stamped > %.0f ms after the server sent them (%.3f%%;"
              + " target <= %.1f%%), p99 %.3f ms, max %.3f ms; submit-to-server-receive p50 %.3f ms, p99 %.3f ms;"
              + " %d collections (%d ms) and %d ms of JIT compilation in this JVM during the"
              + " calls, after %d warm-up calls%s; other processes %s of the CPU, the hypervisor"
              + " %s (steal)%s%n",
          f.batch(),
          f.repetitions(),
          f.chunks(),
          f.late(),
          LATE_MS,
          100 * f.lateShare(),
          100 * LATE_SHARE_TARGET,
          f.lateP99Ms(),
          f.lateMaxMs(),
          f.submitToReceiveP50Ms(),
          f.submitToReceiveP99Ms(),
          f.gcPauses(),
          f.gcMillis(),
          f.jitMillis(),
          f.warmups(),
          f.warmedStill() ? "" : " (the JIT never still)",
          percent(f.cpu().others()),
          percent(f.cpu().steal()),
          f.failed() > 0 ? "; " + f.failed() + " requests failed" : "");
    }
  }
}
