package dev.llmsweep.spark;

import dev.llmsweep.store.FailureReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a point failed, from the exception its task caught (executor side). The engine's exceptions
 * are recognised by class name and message, so this side stays free of DJL types.
 */
final class FailureClassifier {
  private FailureClassifier() {}

  static FailureReason reason(Throwable e) {
    boolean device = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof PointTimeoutException) {
        return FailureReason.TIMEOUT;
      }
      if (t instanceof EndpointErrorException) {
        return FailureReason.ENDPOINT_ERROR;
      }
      if (t instanceof OutOfMemoryError
          || message.contains("out of memory")
          || message.contains("outofmemory")) {
        return FailureReason.OUT_OF_MEMORY;
      }
      String cls = t.getClass().getName();
      if (cls.equals("ai.djl.engine.EngineException")
          || message.contains("cuda error")
          || message.contains("cudnn")
          || message.contains("device-side assert")) {
        device = true;
      }
    }
    return device ? FailureReason.DEVICE_ERROR : FailureReason.ERROR;
  }

  /** The first line of each message in the cause chain, joined by " <- ". */
  static String message(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e;
        t != null && parts.size() < 5;
        t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      int nl = m.indexOf('\n');
      parts.add(nl < 0 ? m : m.substring(0, nl));
    }
    return String.join(" <- ", parts);
  }
}
