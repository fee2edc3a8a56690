package dev.llmsweep.engine;

/** Why a request stopped generating. The lower-case name is what results and JSON carry. */
public enum FinishReason {
  /** The model produced one of its end-of-sequence ids. */
  EOS,
  /** The decoded text contains one of the request's stop strings. */
  STOP_STRING,
  /** {@code max_tokens} tokens were generated. */
  LENGTH,
  /** The request failed (an endpoint's error, a broken stream, a timeout): see its error. */
  ERROR;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
