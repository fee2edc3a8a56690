package dev.llmsweep.store;

/**
 * One generate call: a row of the {@code batches} table (executor side).
 *
 * @param call the call
 * @param promptTokens the longest prompt of the batch
 * @param submitNs the batch was handed to the engine
 * @param endNs the call returned
 * @param stepNs when each step's tokens reached the host (step 0 ends prefill)
 * @param batchLatencyMs wall time of the call
 * @param prefillMs submission to step 0
 * @param decodeStepMs each later step's duration
 * @param generatedTokens all requests' output tokens
 */
public record BatchRow(
    CallContext call,
    int promptTokens,
    long submitNs,
    long endNs,
    long[] stepNs,
    double batchLatencyMs,
    double prefillMs,
    double[] decodeStepMs,
    long generatedTokens) {}
