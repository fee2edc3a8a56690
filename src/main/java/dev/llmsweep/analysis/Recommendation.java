package dev.llmsweep.analysis;

/**
 * The highest-throughput configuration of a run within a latency budget.
 *
 * @param runId the run
 * @param by {@code p50} or {@code p99}: which batch-latency quantile must fit
 * @param budgetS the budget, in seconds
 * @param choice the best configuration within the budget, or, when {@code fits} is false, the
 *     fastest configuration of the run (which still misses the budget)
 * @param fits whether any configuration fits
 * @param unstableSkipped the run's unstable points (their measured calls drifted), which were not
 *     considered
 */
public record Recommendation(String runId, String by, double budgetS, Choice choice, boolean fits,
    java.util.List<String> unstableSkipped) {

  /** One line as the notebook prints it, with the small-sample caveat where it applies. */
  public String describe() {
    String skipped = unstableSkipped.isEmpty() ? ""
        : String.format("; %d unstable point(s) skipped (%s)", unstableSkipped.size(), String.join(", ", unstableSkipped));
    if (!fits) {
      return String.format("by %s: nothing fits a %.3f s budget; the fastest configuration, %s, takes %.3f s%s",
          by, budgetS, choice.describe(), choice.latencyS(), skipped);
    }
    return String.format("by %s: %s: %s latency %.3f s, throughput %.1f tokens/s%s%s", by, choice.describe(), by,
        choice.latencyS(), choice.throughput(),
        choice.fewSamples() ? String.format(" (p99 over %d calls: about the slowest one)", choice.latencySamples()) : "",
        skipped);
  }
}
