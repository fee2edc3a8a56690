package dev.llmsweep.engine;

/**
 * What one request of a batch produced.
 *
 * @param promptTokens number of prompt tokens (without padding)
 * @param newTokenIds generated ids, in order, including a final EOS id or the tokens that
 *     completed a stop string
 * @param tokenHostNanos {@code System.nanoTime()} at which each generated token reached the host,
 *     one per entry of {@code newTokenIds}
 * @param text decoded text, cut before the stop string; null when the model has no tokenizer
 * @param finishReason why it stopped
 */
public record RequestOutput(
    int promptTokens,
    int[] newTokenIds,
    long[] tokenHostNanos,
    String text,
    FinishReason finishReason) {}
