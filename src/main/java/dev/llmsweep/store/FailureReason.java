package dev.llmsweep.store;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a point failed: the {@code reason} of its failure record ({@code failed/p-<point_id>.json},
 * the {@code failures} view), written as the lower-case name. Decided on the executor from the
 * exception its task caught (see {@code spark.FailureClassifier}).
 */
public enum FailureReason {
  /**
   * Java heap, host or device memory exhausted (PyTorch: "out of memory", "CUDA out of memory").
   */
  OUT_OF_MEMORY,
  /** An error of the native engine or the device (DJL's EngineException, CUDA errors). */
  DEVICE_ERROR,
  /** The point ran past its point_timeout_s; the model is intact. */
  TIMEOUT,
  /**
   * An endpoint's requests failed: all of a call's, or more of the point's measured ones than
   * {@code max_error_rate} allows (the message quotes the first error).
   */
  ENDPOINT_ERROR,
  /** Anything else the engine threw. */
  ERROR;

  /** What the failure record and the {@code failures} view carry, e.g. {@code out_of_memory}. */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the model is closed after this failure (its memory freed, its state not trusted). */
  public boolean discardsModel() {
    return this == OUT_OF_MEMORY || this == DEVICE_ERROR;
  }
}
