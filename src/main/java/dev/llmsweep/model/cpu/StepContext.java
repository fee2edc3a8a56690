package dev.llmsweep.model.cpu;

import dev.llmsweep.model.Rope;

/**
 * What every layer needs for one forward step, computed once per step.
 *
 * @param batch rows
 * @param tokens new tokens per row in this step (prompt length in prefill, 1 in decode)
 * @param start cache position of the first new token
 * @param rope the model's rotary tables
 * @param positions position ids [batch * tokens]
 * @param firstKey per row, the cache index of its first real token (the left padding before it is
 *     never attended)
 * @param slidingWindow keys a query may see back from itself, itself included; 0: unlimited
 */
public record StepContext(
    long batch,
    long tokens,
    int start,
    Rope rope,
    long[] positions,
    int[] firstKey,
    int slidingWindow) {}
