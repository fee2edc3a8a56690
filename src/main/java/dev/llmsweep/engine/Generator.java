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

  /** Encodes text with the model's tokenizer (special tokens such as BOS added as it defines). */
  int[] encode(String text);

  /** Decodes ids to text with the model's tokenizer. */
  String decode(int[] ids);

  /** Whether {@link #encode}/{@link #decode} are available. */
  boolean hasTokenizer();

  @Override
  void close();
}
