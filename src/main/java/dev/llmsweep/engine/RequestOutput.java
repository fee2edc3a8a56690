package dev.llmsweep.engine;

/**
 * What one request of a batch produced.
 *
 * @param promptTokens number of prompt tokens (without padding)
 * @param newTokenIds generated ids, in order, including a final EOS id or the tokens that completed
 *     a stop string
 * @param tokenHostNanos {@code System.nanoTime()} at which each generated token reached the host,
 *     one per entry of {@code newTokenIds}
 * @param text decoded text, cut before the stop string; null when the model has no tokenizer
 * @param finishReason why it stopped
 * @param startNanos {@code System.nanoTime()} its latencies count from: the batch's submission, an
 *     endpoint request's own send, or an open-loop request's scheduled arrival
 * @param error why the request failed (an endpoint's HTTP error, a broken stream, a timeout); null
 *     when it did not, and then {@code finishReason} is {@link FinishReason#ERROR}
 */
public record RequestOutput(
    int promptTokens,
    int[] newTokenIds,
    long[] tokenHostNanos,
    String text,
    FinishReason finishReason,
    long startNanos,
    String error) {

  /** A request of an in-process batch: its latencies count from the batch's submission. */
  public RequestOutput(
      int promptTokens,
      int[] newTokenIds,
      long[] tokenHostNanos,
      String text,
      FinishReason finishReason,
      long submitNanos) {
    this(promptTokens, newTokenIds, tokenHostNanos, text, finishReason, submitNanos, null);
  }

  public boolean failed() {
    return error != null;
  }
}
