package dev.llmsweep.store;

import dev.llmsweep.engine.FinishReason;

/**
 * One request of one generate call: a row of the {@code requests} table (executor side).
 *
 * @param call the call it belongs to
 * @param requestIndex its row in the batch
 * @param promptTokens its prompt length
 * @param outputTokens tokens generated (a final EOS counts)
 * @param finishReason why it stopped (written as {@code eos}, {@code stop_string}, {@code length}
 *     or {@code error})
 * @param submitNs when the request started: the batch handed to the engine, an endpoint request's
 *     send, an open-loop request's scheduled arrival
 * @param tokenNs when each token reached the host
 * @param ttftMs time to first token
 * @param itlMs inter-token latencies
 * @param tpotMs time per output token after the first; NaN (stored as null) for one token
 * @param e2eMs end-to-end latency
 * @param error why the request failed (an endpoint's); null when it did not
 */
public record RequestRow(
    CallContext call,
    int requestIndex,
    int promptTokens,
    int outputTokens,
    FinishReason finishReason,
    long submitNs,
    long[] tokenNs,
    double ttftMs,
    double[] itlMs,
    double tpotMs,
    double e2eMs,
    String error) {

  /** A request that did not fail. */
  public RequestRow(
      CallContext call,
      int requestIndex,
      int promptTokens,
      int outputTokens,
      FinishReason finishReason,
      long submitNs,
      long[] tokenNs,
      double ttftMs,
      double[] itlMs,
      double tpotMs,
      double e2eMs) {
    this(
        call,
        requestIndex,
        promptTokens,
        outputTokens,
        finishReason,
        submitNs,
        tokenNs,
        ttftMs,
        itlMs,
        tpotMs,
        e2eMs,
        null);
  }
}
