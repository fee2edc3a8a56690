package dev.llmsweep.spark;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.RequestOutput;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.Serving;
import dev.llmsweep.job.SteadyState;
import dev.llmsweep.metrics.BatchMetrics;
import dev.llmsweep.metrics.RequestMetrics;
import dev.llmsweep.store.BatchRow;
import dev.llmsweep.store.CallContext;
import dev.llmsweep.store.RequestRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one point through a loaded generator and turns every call into raw rows (executor side): the
 * warm-ups until steady state ({@link SteadyState}: at least the point's {@code warmups}, then
 * until two consecutive warm-ups' median decode step agree and the JIT compilers were quiet during
 * the last ({@link JitClock}), within a count and a time), then each measured repetition followed
 * by its TTFT proxy call (max_tokens = 1) when asked. Calls are numbered in order, warm-ups first;
 * call r samples with seed + r. Metrics come from {@link RequestMetrics} and {@link BatchMetrics}
 * only.
 *
 * <p>An endpoint point fails ({@link EndpointErrorException}) as soon as a call's requests all
 * failed (the server is down, the path or a field is wrong: more calls measure nothing), and at its
 * end when more of its measured requests failed than {@link Serving#errorRateLimit} allows.
 */
final class PointRunner {
  private final Generator generator;
  private final Point point;
  private final CallContext base;
  private final List<RequestRow> requests = new ArrayList<>();
  private final List<BatchRow> batches = new ArrayList<>();
  private final long deadlineNanos;
  private final TokenListener watchdog;
  private final JitClock jit;
  private long engineNanos;
  private int warmups;
  private long generatedTokens;
  private int measuredRequests;
  private int measuredFailed;
  private String firstError;
  private long measuredStartNanos;
  private long measuredEndNanos;
  private boolean measuredAny;

  /** Starts the point's clock: its {@code point_timeout_s} counts from here. */
  PointRunner(Generator generator, Point point, CallContext base, JitClock jit) {
    this.generator = generator;
    this.jit = jit;
    this.point = point;
    this.base = base;
    long start = System.nanoTime();
    int timeoutSeconds = point.measurement().timeoutSeconds();
    this.deadlineNanos = timeoutSeconds > 0 ? start + timeoutSeconds * 1_000_000_000L : 0;
    // checked at every engine step, so a long call stops within one step of the limit; the engine
    // closes the call's native memory when the listener throws
    this.watchdog =
        deadlineNanos == 0 ? TokenListener.NONE : (step, ids, hostNanos) -> checkDeadline();
  }

  private void checkDeadline() {
    if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
      throw new PointTimeoutException(
          "point "
              + point.pointId()
              + " ran past its point_timeout_s of "
              + point.measurement().timeoutSeconds()
              + " s");
    }
  }

  PointRunner run() {
    Prompts prompts = prompts(point.shape().batchSize());
    Point.Measurement m = point.measurement();
    SteadyState steady = m.steadyState();
    long start = System.nanoTime();
    double previous = Double.NaN;
    double last = Double.NaN;
    boolean quiet = false;
    while (!steady.done(
        warmups, m.warmups(), previous, last, (System.nanoTime() - start) / 1e9, quiet)) {
      previous = last;
      JitClock.Window window = jit.window();
      last = medianStepMs(call(prompts, warmups, true, false, point.shape().maxTokens()));
      quiet = window.quiet();
      warmups++;
    }
    for (int r = 0; r < m.repetitions(); r++) {
      int repetition = warmups + r;
      call(prompts, repetition, false, false, point.shape().maxTokens());
      if (m.ttftProxy()) {
        call(prompts, repetition, false, true, 1);
      }
    }
    Serving serving = point.serving();
    if (serving.isEndpoint() && measuredFailed > serving.errorRateLimit() * measuredRequests) {
      throw new EndpointErrorException(
          measuredFailed
              + " of "
              + measuredRequests
              + " measured requests to "
              + where()
              + " failed (error rate "
              + String.format(
                  java.util.Locale.ROOT, "%.4f", (double) measuredFailed / measuredRequests)
              + " > max_error_rate "
              + serving.errorRateLimit()
              + (Double.isNaN(serving.client().maxErrorRate())
                  ? ", the closed-loop default; set max_error_rate to keep such points"
                  : "")
              + "); first error: "
              + firstError);
    }
    return this;
  }

  /** Where the point's requests went, for messages. */
  private String where() {
    return generator instanceof dev.llmsweep.engine.openai.OpenAiGenerator g
        ? g.endpoint().requestUri().toString()
        : point.serving().endpointLabel();
  }

  /** Counts a call's failed requests; throws when all of them failed. */
  private void countFailures(List<RequestOutput> rs, boolean measured, String call) {
    int failed = 0;
    for (RequestOutput r : rs) {
      if (r.failed()) {
        failed++;
        if (firstError == null) {
          firstError = r.error();
        }
      }
    }
    if (measured) {
      measuredRequests += rs.size();
      measuredFailed += failed;
    }
    if (point.serving().isEndpoint() && failed > 0 && failed == rs.size()) {
      String first =
          rs.stream()
              .filter(RequestOutput::failed)
              .findFirst()
              .map(RequestOutput::error)
              .orElse("");
      throw new EndpointErrorException(
          (failed == 1 ? "the request" : "all " + failed + " requests")
              + " of "
              + call
              + (first.contains(where()) ? "" : " to " + where())
              + " failed: "
              + first);
    }
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
   * The median decode step of a call in ms (its batch latency when it has no decode step): what the
   * warm-up watches, since the steps of one call all do the same work.
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

  /**
   * The submit of the first measured call (0 when none ran): the device telemetry counts from here.
   */
  long measuredStartNanos() {
    return measuredStartNanos;
  }

  /** The end of the last measured call. */
  long measuredEndNanos() {
    return measuredEndNanos;
  }

  /**
   * One call: the batch's prompts all at once (closed loop), or, for a measured repetition of an
   * open-loop point, its load's requests at their scheduled arrivals (warm-ups and proxies stay
   * closed-loop batches).
   */
  private BatchOutput call(
      Prompts prompts, int repetition, boolean warmup, boolean proxy, int maxTokens) {
    SamplingParams s = point.sampling();
    SamplingParams sampling =
        new SamplingParams(s.temperature(), s.topP(), s.topK(), s.seed() + repetition);
    Point.Stopping stopping = point.stopping();
    Serving.Load load = point.serving().load();
    long[] arrivals =
        load.openLoop() && !warmup && !proxy ? load.offsetsNanos(s.seed() + repetition) : null;
    if (arrivals != null) {
      prompts = prompts(arrivals.length);
    }
    GenerationRequest request =
        prompts.texts().isEmpty()
            ? new GenerationRequest(
                prompts.ids(), maxTokens, sampling, stopping.ignoreEos(), stopping.stops())
            : GenerationRequest.ofTexts(
                prompts.texts(), maxTokens, sampling, stopping.ignoreEos(), stopping.stops());
    checkDeadline();
    BatchOutput out =
        arrivals == null
            ? generator.generate(request, watchdog)
            : generator.generateAt(request, arrivals, watchdog);
    CallContext call = base.forCall(repetition, warmup, proxy, maxTokens);
    List<RequestOutput> rs = out.requests();
    int longest = request.longestPrompt();
    for (int i = 0; i < rs.size(); i++) {
      RequestOutput r = rs.get(i);
      RequestMetrics m = RequestMetrics.of(out, r);
      requests.add(
          new RequestRow(
              call,
              i,
              r.promptTokens(),
              m.outputTokens(),
              r.finishReason(),
              r.startNanos(),
              r.tokenHostNanos(),
              m.ttftMs(),
              m.itlMs(),
              m.tpotMs(),
              m.e2eMs(),
              r.error()));
      longest = Math.max(longest, r.promptTokens());
    }
    countFailures(
        rs,
        !warmup && !proxy,
        warmup
            ? "warm-up call " + repetition
            : proxy ? "proxy call " + repetition : "repetition " + (repetition - warmups));
    BatchMetrics b = BatchMetrics.of(out);
    batches.add(
        new BatchRow(
            call,
            longest,
            out.submitNanos(),
            out.endNanos(),
            out.stepHostNanos(),
            b.batchLatencyMs(),
            b.prefillMs(),
            b.decodeStepMs(),
            b.generatedTokens()));
    engineNanos += out.endNanos() - out.submitNanos();
    if (!warmup) {
      if (!measuredAny) {
        measuredStartNanos = out.submitNanos();
        measuredAny = true;
      }
      measuredEndNanos = out.endNanos();
    }
    generatedTokens += b.generatedTokens();
    return out;
  }

  /** Prompts as token ids, or as text for an engine without a tokenizer here (an endpoint). */
  private record Prompts(List<int[]> ids, List<String> texts) {}

  /**
   * {@code n} prompts: synthetic ids, or literal ones (request i gets prompt i mod k) encoded by
   * the model's tokenizer, or left as text when the engine has none.
   */
  private Prompts prompts(int n) {
    List<int[]> ids = new ArrayList<>(n);
    List<String> texts = new ArrayList<>();
    Map<String, int[]> encoded = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (point.syntheticPrompts()) {
        ids.add(point.syntheticPrompt(i, generator.info().vocabSize()));
      } else {
        List<String> literal = point.shape().prompts();
        String text = literal.get(i % literal.size());
        if (generator.hasTokenizer()) {
          ids.add(encoded.computeIfAbsent(text, generator::encode));
        } else {
          texts.add(text);
        }
      }
    }
    return new Prompts(ids, texts);
  }
}
