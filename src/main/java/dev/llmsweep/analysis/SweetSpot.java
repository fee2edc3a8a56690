package dev.llmsweep.analysis;

import java.util.List;

/**
 * The sweet spot of one batch-size curve by one rule (a row of the {@code sweet_spot} view).
 *
 * @param rule {@code notebook} (normalised p50 latency meets inverted normalised throughput) or
 *     {@code kneedle} (Kneedle on throughput against p50 latency)
 * @param usedByRecommend whether {@code recommend} reports this rule's point as the sweet spot
 * @param choice the point, its p50 latency and throughput
 * @param curvePoints points on the curve
 * @param unstableSkipped unstable points of the curve left out of it
 * @param range the points the 95% intervals cannot tell from {@code choice} under this rule, by
 *     batch size, {@code choice} among them ({@link Ranges#sweetSpot}); empty when not computed
 * @param contiguous whether the range is a stretch of neighbouring batch sizes of the curve
 * @param envChangedSkipped points of the curve whose environment changed while they ran, left out
 *     of it
 */
public record SweetSpot(
    String rule,
    boolean usedByRecommend,
    Choice choice,
    long curvePoints,
    long unstableSkipped,
    List<Candidate> range,
    boolean contiguous,
    long envChangedSkipped) {

  /** A sweet spot with its range, no point left out for a changed environment. */
  public SweetSpot(
      String rule,
      boolean usedByRecommend,
      Choice choice,
      long curvePoints,
      long unstableSkipped,
      List<Candidate> range,
      boolean contiguous) {
    this(rule, usedByRecommend, choice, curvePoints, unstableSkipped, range, contiguous, 0);
  }

  /** A sweet spot without its range (figures from a view alone). */
  public SweetSpot(
      String rule, boolean usedByRecommend, Choice choice, long curvePoints, long unstableSkipped) {
    this(rule, usedByRecommend, choice, curvePoints, unstableSkipped, List.of(), true, 0);
  }

  /** A sweet spot without its range, with the points left out for a changed environment. */
  public SweetSpot(
      String rule,
      boolean usedByRecommend,
      Choice choice,
      long curvePoints,
      long unstableSkipped,
      long envChangedSkipped) {
    this(
        rule,
        usedByRecommend,
        choice,
        curvePoints,
        unstableSkipped,
        List.of(),
        true,
        envChangedSkipped);
  }

  /** Whether the intervals leave more than one batch size for this rule. */
  public boolean isRange() {
    return range.size() > 1;
  }

  /** The batch sizes of the range: {@code 4–16} when contiguous, else {@code 4, 16 and 64}. */
  public String rangeLabel() {
    List<Integer> sizes = range.stream().map(Candidate::batchSize).toList();
    if (sizes.size() <= 1) {
      return String.valueOf(choice.batchSize());
    }
    if (contiguous) {
      return sizes.get(0) + "–" + sizes.get(sizes.size() - 1);
    }
    List<String> s = sizes.stream().map(String::valueOf).toList();
    return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
  }

  /**
   * What the intervals leave open, one line: the range and why ("batch 4–16: the curve is flat
   * within its 95% intervals"), or the batch size alone; empty when the range was not computed.
   */
  public String describeRange() {
    if (range.isEmpty()) {
      return "";
    }
    if (!isRange()) {
      return String.format(
          "batch %d alone: every other batch size of the curve scores %s beyond the 95%% intervals",
          choice.batchSize(), "kneedle".equals(rule) ? "lower" : "further from the crossing");
    }
    return String.format(
        "batch %s: %s (batch %d preferred: the rule's pick at the estimates)",
        rangeLabel(),
        contiguous
            ? "the curve is flat within its 95% intervals"
            : "their scores overlap within the 95% intervals",
        choice.batchSize());
  }

  /** One line for the console (s, tokens/s). */
  public String describe() {
    return describe(false);
  }

  /** One line; latencies in ms and throughput in tok/s when {@code ms} (the report's units). */
  public String describe(boolean ms) {
    String how =
        "kneedle".equals(rule)
            ? "Kneedle on throughput vs p50 latency"
            : "notebook rule: normalised p50 latency meets inverted normalised throughput";
    return String.format(
        "sweet spot (%s)%s: %s: p50 latency %s, throughput %.1f %s, on a curve of %d points%s",
        how,
        usedByRecommend ? " [recommended]" : "",
        choice.describe(),
        Recommendation.latency(choice.latencyS(), ms),
        choice.throughput(),
        ms ? "tok/s" : "tokens/s",
        curvePoints,
        (unstableSkipped == 0 ? "" : " (" + unstableSkipped + " unstable point(s) left out)")
            + (envChangedSkipped == 0
                ? ""
                : " (" + envChangedSkipped + " point(s) with a changed environment left out)"));
  }
}
