package dev.llmsweep.analysis;

/**
 * The sweet spot of one batch-size curve by one rule (a row of the {@code sweet_spot} view).
 *
 * @param rule {@code notebook} (normalised p50 latency meets inverted normalised throughput) or
 *     {@code kneedle} (Kneedle on throughput against p50 latency)
 * @param usedByRecommend whether {@code recommend} reports this rule's point as the sweet spot
 * @param choice the point, its p50 latency and throughput
 * @param curvePoints points on the curve
 * @param unstableSkipped unstable points of the curve left out of it
 * @param envChangedSkipped points of the curve whose environment changed while they ran, left out of it
 */
public record SweetSpot(String rule, boolean usedByRecommend, Choice choice, long curvePoints, long unstableSkipped,
    long envChangedSkipped) {

  /** One line for the console (s, tokens/s). */
  public String describe() {
    return describe(false);
  }

  /** One line; latencies in ms and throughput in tok/s when {@code ms} (the report's units). */
  public String describe(boolean ms) {
    String how = "kneedle".equals(rule)
        ? "Kneedle on throughput vs p50 latency"
        : "notebook rule: normalised p50 latency meets inverted normalised throughput";
    return String.format("sweet spot (%s)%s: %s: p50 latency %s, throughput %.1f %s, on a curve of %d points%s",
        how, usedByRecommend ? " [recommended]" : "", choice.describe(), Recommendation.latency(choice.latencyS(), ms),
        choice.throughput(), ms ? "tok/s" : "tokens/s",
        curvePoints, (unstableSkipped == 0 ? "" : " (" + unstableSkipped + " unstable point(s) left out)")
            + (envChangedSkipped == 0 ? "" : " (" + envChangedSkipped + " point(s) with a changed environment left out)"));
  }
}
