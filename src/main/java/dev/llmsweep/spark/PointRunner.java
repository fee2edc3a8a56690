package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.metrics.BatchMetrics;
import dev.llmsweep.metrics.RequestMetrics;
import dev.llmsweep.spec.Point;
import dev.llmsweep.spec.SteadyState;
import dev.llmsweep.store.BatchRow;
import dev.llmsweep.store.CallContext;
import dev.llmsweep.store.RequestRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one point through a loaded generator and turns every call into raw rows (executor side):
 * the warm-ups until steady state ({@link SteadyState}: at least the point's {@code warmups},
 * then until two consecutive warm-ups' median decode step agree, within a count and a time), then
 * each measured repetition followed by its TTFT proxy call (max_tokens = 1) when asked. Calls are
 * numbered in order, warm-ups first; call r samples with seed + r. Metrics come from
 * {@link RequestMetrics} and {@link BatchMetrics} only.
 */
final class PointRunner {
  private final Generator generator;
  private final Point point;
  private final CallContext base;
  private final List<RequestRow> requests = new ArrayList<>();
  private final List<BatchRow> batches = new ArrayList<>();
  private final long deadlineNanos;
  private final TokenListener watchdog;
  private long engineNanos;
  private int warmups;
  private long generatedTokens;

  /** Starts the point's clock: its {@code point_timeout_s} counts from here. */
  PointRunner(Generator generator, Point point, CallContext base) {
    this.generator = generator;
    this.point = point;
    this.base = base;
    long start = System.nanoTime();
    int timeoutSeconds = point.measurement().timeoutSeconds();
    this.deadlineNanos = timeoutSeconds > 0 ? start + timeoutSeconds * 1_000_000_000L : 0;
    // checked at every engine step, so a long call stops within one step of the limit; the engine
    // closes the call's native memory when the listener throws
    this.watchdog = deadlineNanos == 0 ? TokenListener.NONE : (step, ids, hostNanos) -> checkDeadline();
  }

  private void checkDeadline() {
    if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
      throw new PointTimeoutException("point " + point.pointId() + " ran past its point_timeout_s of "
          + point.measurement().timeoutSeconds() + " s");
    }
  }

  PointRunner run() {
    List<int[]> prompts = prompts();
    Point.Measurement m = point.measurement();
    SteadyState steady = m.steadyState();
    long start = System.nanoTime();
    double previous = Double.NaN;
    double last = Double.NaN;
    while (!steady.done(warmups, m.warmups(), previous, last, (System.nanoTime() - start) / 1e9)) {
      previous = last;
      last = medianStepMs(call(prompts, warmups, true, false, point.shape().maxTokens()));
      warmups++;
    }
    for (int r = 0; r < m.repetitions(); r++) {
      int repetition = warmups + r;
      call(prompts, repetition, false, false, point.shape().maxTokens());
      if (m.ttftProxy()) {
        call(prompts, repetition, false, true, 1);
      }
    }
    return this;
  }

  List<RequestRow> requests() {
    return requests;
  }

  List<BatchRow> batches() {
    return batches;
  }

  /** Warm-up calls the point needed. */
  int warmups() {
    return warmups;
  }

  /**
   * The median decode step of a call in ms (its batch latency when it has no decode step): what
   * the warm-up watches, since the steps of one call all do the same work.
   */
  static double medianStepMs(BatchOutput out) {
    long[] steps = out.stepHostNanos();
    if (steps.length < 2) {
      return (out.endNanos() - out.submitNanos()) / 1e6;
    }
    double[] d = new double[steps.length - 1];
    for (int i = 1; i < steps.length; i++) {
      d[i - 1] = (steps[i] - steps[i - 1]) / 1e6;
    }
    java.util.Arrays.sort(d);
    return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
  }

  /** Time inside {@code generate}, summed over every call (the engine's own stamps). */
  long engineNanos() {
    return engineNanos;
  }

  long generatedTokens() {
    return generatedTokens;
  }

  private BatchOutput call(List<int[]> prompts, int repetition, boolean warmup, boolean proxy, int maxTokens) {
    SamplingParams s = point.sampling();
    SamplingParams sampling = new SamplingParams(s.temperature(), s.topP(), s.topK(), s.seed() + repetition);
    Point.Stopping stopping = point.stopping();
    GenerationRequest request =
        new GenerationRequest(prompts, maxTokens, sampling, stopping.ignoreEos(), stopping.stops());
    checkDeadline();
    BatchOutput out = generator.generate(request, watchdog);
    CallContext call = base.forCall(repetition, warmup, proxy, maxTokens);
    List<RequestOutput> rs = out.requests();
    for (int i = 0; i < rs.size(); i++) {
      RequestOutput r = rs.get(i);
      RequestMetrics m = RequestMetrics.of(out, r);
      requests.add(new RequestRow(call, i, r.promptTokens(), m.outputTokens(), r.finishReason(),
          out.submitNanos(), r.tokenHostNanos(), m.ttftMs(), m.itlMs(), m.tpotMs(), m.e2eMs()));
    }
    BatchMetrics b = BatchMetrics.of(out);
    batches.add(new BatchRow(call, request.longestPrompt(), out.submitNanos(), out.endNanos(), out.stepHostNanos(),
        b.batchLatencyMs(), b.prefillMs(), b.decodeStepMs(), b.generatedTokens()));
    engineNanos += out.endNanos() - out.submitNanos();
    generatedTokens += b.generatedTokens();
    return out;
  }

  /** The batch's prompts: literal ones encoded (request i gets prompt i mod n), or synthetic ids. */
  private List<int[]> prompts() {
    List<int[]> out = new ArrayList<>(point.shape().batchSize());
    Map<String, int[]> encoded = new HashMap<>();
    for (int i = 0; i < point.shape().batchSize(); i++) {
      if (point.syntheticPrompts()) {
        out.add(point.syntheticPrompt(i, generator.info().vocabSize()));
      } else {
        List<String> literal = point.shape().prompts();
        String text = literal.get(i % literal.size());
        out.add(encoded.computeIfAbsent(text, generator::encode));
      }
    }
    return out;
  }
}
