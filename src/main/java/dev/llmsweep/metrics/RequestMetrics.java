package dev.llmsweep.metrics;

import dev.llmsweep.engine.BatchOutput;
import dev.llmsweep.engine.RequestOutput;

/**
 * One request's latencies, in milliseconds, derived from raw nanosecond stamps.
 *
 * <ul>
 *   <li>TTFT: from the request's start (the batch's submission; an endpoint request's send or
 *       scheduled arrival) to its first token on the host.
 *   <li>ITL: gaps between consecutive tokens of the request.
 *   <li>TPOT: {@code (E2E - TTFT) / (outputTokens - 1)}; undefined (NaN) for one token.
 *   <li>E2E: from the request's start to its last token.
 * </ul>
 *
 * @param outputTokens generated tokens
 * @param ttftMs time to first token
 * @param itlMs inter-token latencies, {@code outputTokens - 1} of them
 * @param tpotMs time per output token after the first
 * @param e2eMs end-to-end latency
 */
public record RequestMetrics(
    int outputTokens, double ttftMs, double[] itlMs, double tpotMs, double e2eMs) {

  public static final String DEFINITIONS =
      "ttft=first token on host - submit; itl=gaps between consecutive"
          + " tokens; tpot=(e2e-ttft)/(output_tokens-1); e2e=last token on host - submit; clock=System.nanoTime";

  public static RequestMetrics of(long submitNanos, long[] tokenHostNanos) {
    int n = tokenHostNanos.length;
    if (n == 0) {
      return new RequestMetrics(0, Double.NaN, new double[0], Double.NaN, Double.NaN);
    }
    double ttft = ms(tokenHostNanos[0] - submitNanos);
    double e2e = ms(tokenHostNanos[n - 1] - submitNanos);
    double[] itl = new double[n - 1];
    for (int i = 1; i < n; i++) {
      itl[i - 1] = ms(tokenHostNanos[i] - tokenHostNanos[i - 1]);
    }
    double tpot = n > 1 ? (e2e - ttft) / (n - 1) : Double.NaN;
    return new RequestMetrics(n, ttft, itl, tpot, e2e);
  }

  public static RequestMetrics of(BatchOutput batch, RequestOutput request) {
    return of(request.startNanos(), request.tokenHostNanos());
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
