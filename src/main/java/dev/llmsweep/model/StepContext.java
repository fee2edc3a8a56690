package dev.llmsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What every layer needs for one forward step, computed once per step.
 *
 * @param batch rows
 * @param tokens new tokens per row in this step (prompt length in prefill, 1 in decode)
 * @param start cache position of the first new token
 * @param rope the model's rotary tables
 * @param cosSin this step's cos and sin, each [batch, tokens, heads + 2 * kvHeads, headDim]; null
 *     when the cache is on the host (the CPU kernels rotate from {@code positions})
 * @param mask additive attention mask, 0 where allowed: [batch, 1, 1, start + 1] when decoding one
 *     token, [batch, 1, 1, tokens, tokens] in prefill; null when the cache is on the host
 * @param positions position ids [batch * tokens]
 * @param firstKey per row, the cache index of its first real token (the left padding before it is
 *     never attended)
 * @param slidingWindow keys a query may see back from itself, itself included; 0: unlimited
 */
public record StepContext(long batch, long tokens, int start, Rope rope, NDList cosSin, NDArray mask,
    long[] positions, int[] firstKey, int slidingWindow) {}
