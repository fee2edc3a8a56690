package dev.llmsweep.store;

import dev.llmsweep.spec.Point;
import java.io.Serializable;

/**
 * What every raw row of one generate call shares: the run, the point, which call it was and
 * where it ran (executor side).
 *
 * @param runId the run
 * @param point the sweep point
 * @param repetition 0-based; warm-ups come first
 * @param warmup an unmeasured warm-up call
 * @param proxy the notebook's TTFT proxy call (max_tokens = 1)
 * @param maxTokens the call's output budget (1 for a proxy)
 * @param device {@code cpu} or {@code gpu:N}
 * @param deviceName e.g. the GPU or CPU model
 * @param executorId Spark executor id
 * @param host executor host
 */
public record CallContext(
    String runId,
    Point point,
    int repetition,
    boolean warmup,
    boolean proxy,
    int maxTokens,
    String device,
    String deviceName,
    String executorId,
    String host) implements Serializable {}
