package dev.llmsweep.engine;

import java.util.List;

/**
 * The result of one {@link Generator#generate} call.
 *
 * @param submitNanos {@code System.nanoTime()} when the batch was handed to the engine
 * @param stepHostNanos when each step's tokens reached the host; step 0 ends the prefill
 * @param endNanos when the call returned its results
 * @param requests per request, in the order of the prompts
 */
public record BatchOutput(
    long submitNanos, long[] stepHostNanos, long endNanos, List<RequestOutput> requests) {}
