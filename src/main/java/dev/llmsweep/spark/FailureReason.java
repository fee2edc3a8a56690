package dev.llmsweep.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a point failed, from the exception its task caught (executor side): the reason recorded in
 * {@code failed/p-<point_id>.json}, and whether the model must be discarded to free its memory.
 * The engine's exceptions are recognised by class name and message, so this side stays free of
 * DJL types.
 */
enum FailureReason {
  /** Java heap, host or device memory exhausted (PyTorch: "out of memory", "CUDA out of memory"). */
  OUT_OF_MEMORY,
  /** An error of the native engine or the device (DJL's EngineException, CUDA errors). */
  DEVICE_ERROR,
  /** The point ran past its point_timeout_s; the model is intact. */
  TIMEOUT,
  /** Anything else the engine threw. */
  ERROR;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the model is closed after this failure (its memory freed, its state not trusted). */
  boolean discardsModel() {
    return this == OUT_OF_MEMORY || this == DEVICE_ERROR;
  }

  static FailureReason of(Throwable e) {
    boolean device = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof PointTimeoutException) {
        return TIMEOUT;
      }
      if (t instanceof OutOfMemoryError || message.contains("out of memory") || message.contains("outofmemory")) {
        return OUT_OF_MEMORY;
      }
      String cls = t.getClass().getName();
      if (cls.equals("ai.djl.engine.EngineException") || message.contains("cuda error") || message.contains("cudnn")
          || message.contains("device-side assert")) {
        device = true;
      }
    }
    return device ? DEVICE_ERROR : ERROR;
  }

  /** The first line of each message in the cause chain, joined by " <- ". */
  static String message(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      int nl = m.indexOf('\n');
      parts.add(nl < 0 ? m : m.substring(0, nl));
    }
    return String.join(" <- ", parts);
  }
}
