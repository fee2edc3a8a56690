package dev.llmsweep.store;

import dev.llmsweep.engine.FinishReason;

/**
 * One request of one generate call: a row of the {@code requests} table (executor side).
 *
 * @param call the call it belongs to
 * @param requestIndex its row in the batch
 * @param promptTokens its prompt length
 * @param outputTokens tokens generated (a final EOS counts)
 * @param finishReason why it stopped (written as {@code eos}, {@code stop_string} or {@code length})
 * @param submitNs the batch was handed to the engine
 * @param tokenNs when each token reached the host
 * @param ttftMs time to first token
 * @param itlMs inter-token latencies
 * @param tpotMs time per output token after the first; NaN (stored as null) for one token
 * @param e2eMs end-to-end latency
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
    double e2eMs) {}
