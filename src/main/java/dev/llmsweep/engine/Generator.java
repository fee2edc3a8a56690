package dev.llmsweep.engine;

/**
 * A loaded model that generates for batches of prompts. Not thread-safe: one caller at a time.
 * Closing it frees all native memory the model holds.
 */
public interface Generator extends AutoCloseable {

  /** What is loaded, where, and its limits. */
  ModelInfo info();

  /** Generates for every prompt of the batch; the listener is told of each step's tokens. */
  BatchOutput generate(GenerationRequest request, TokenListener listener);

  /**
   * Sends request i at {@code arrivalOffsetsNanos[i]} after the call starts (open loop), each timed
   * from its scheduled arrival. Only an endpoint can: the built-in engine batches statically.
   */
  default BatchOutput generateAt(
      GenerationRequest request, long[] arrivalOffsetsNanos, TokenListener listener) {
    throw new IllegalStateException(
        info().name()
            + " batches statically: open-loop arrivals need an endpoint"
            + " (engine = openai)");
  }

  /** Encodes text with the model's tokenizer (special tokens such as BOS added as it defines). */
  int[] encode(String text);

  /** Decodes ids to text with the model's tokenizer. */
  String decode(int[] ids);

  /** Whether {@link #encode}/{@link #decode} are available. */
  boolean hasTokenizer();

  @Override
  void close();
}
