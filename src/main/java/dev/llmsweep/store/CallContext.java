package dev.llmsweep.store;

import dev.llmsweep.job.Point;
import java.io.Serializable;

/**
 * What every raw row of one generate call shares: the run, the point, which call it was and where
 * it ran (executor side).
 *
 * @param runId the run
 * @param point the sweep point
 * @param repetition 0-based; warm-ups come first
 * @param warmup an unmeasured warm-up call
 * @param proxy the notebook's TTFT proxy call (max_tokens = 1)
 * @param maxTokens the call's output budget (1 for a proxy)
 * @param placement where it ran
 * @param endpoint the API root its requests went to (an endpoint point); empty for the built-in
 *     engine
 */
public record CallContext(
    String runId,
    Point point,
    int repetition,
    boolean warmup,
    boolean proxy,
    int maxTokens,
    Placement placement,
    String endpoint)
    implements Serializable {

  /** A call of the built-in engine. */
  public CallContext(
      String runId,
      Point point,
      int repetition,
      boolean warmup,
      boolean proxy,
      int maxTokens,
      Placement placement) {
    this(runId, point, repetition, warmup, proxy, maxTokens, placement, "");
  }

  /** The context of the point's first measured call, before any call is made. */
  public static CallContext of(String runId, Point point, Placement placement) {
    return new CallContext(runId, point, 0, false, false, point.shape().maxTokens(), placement);
  }

  /** The same, its requests sent to {@code url}. */
  public CallContext withEndpoint(String url) {
    return new CallContext(runId, point, repetition, warmup, proxy, maxTokens, placement, url);
  }

  /** The same run, point and placement for another call. */
  public CallContext forCall(int repetition, boolean warmup, boolean proxy, int maxTokens) {
    return new CallContext(runId, point, repetition, warmup, proxy, maxTokens, placement, endpoint);
  }
}
