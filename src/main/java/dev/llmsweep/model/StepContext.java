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
 * @param cosSin this step's cos and sin, each [batch, tokens, heads + 2 * kvHeads, headDim]
 * @param mask additive attention mask, 0 where allowed: [batch, 1, 1, start + 1] when decoding one
 *     token, [batch, 1, 1, tokens, tokens] in prefill
 */
public record StepContext(long batch, long tokens, int start, Rope rope, NDList cosSin, NDArray mask) {}
