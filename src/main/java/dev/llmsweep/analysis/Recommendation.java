package dev.llmsweep.analysis;

/**
 * The highest-throughput configuration of a run within a latency budget.
 *
 * @param runId the run
 * @param by {@code p50} or {@code p99}: which batch-latency quantile must fit
 * @param budgetS the budget, in seconds
 * @param choice the best configuration within the budget, or, when {@code fits} is false, the
 *     fastest configuration of the run (which still misses the budget); null when every point of
 *     the run was left out (unstable, or its environment changed)
 * @param fits whether any configuration fits
 * @param unstableSkipped the run's unstable points (their measured calls drifted), which were not
 *     considered
 * @param envChangedSkipped the run's points whose environment changed while they ran (their
 *     calibration probes before and after differ), not considered either
 * @param tokensPerJoule the choice's tokens per joule (by {@code energy}); NaN otherwise
 */
public record Recommendation(String runId, String by, double budgetS, Choice choice, boolean fits,
    java.util.List<String> unstableSkipped, java.util.List<String> envChangedSkipped, double tokensPerJoule) {

  /** One line as the notebook prints it (seconds, as the budget is given), with the small-sample caveat where it applies. */
  public String describe() {
    return describe(false);
  }

  /**
   * The same line with latencies in ms and throughput in tok/s when {@code ms} (the report's units),
   * else in s and tokens/s (the command line's, where the budget is given in seconds).
   */
  public String describe(boolean ms) {
    String skipped = (unstableSkipped.isEmpty() ? ""
        : String.format("; %d unstable point(s) skipped (%s)", unstableSkipped.size(), String.join(", ", unstableSkipped)))
        + (envChangedSkipped.isEmpty() ? "" : String.format("; %d point(s) with a changed environment skipped (%s)",
            envChangedSkipped.size(), String.join(", ", envChangedSkipped)));
    if (choice == null) {
      return String.format("by %s: nothing to recommend: every measured point was left out%s", by, skipped);
    }
    if (!fits) {
      return String.format("by %s: nothing fits a %s budget; the fastest configuration, %s, takes %s%s",
          by, latency(budgetS, ms), choice.describe(), latency(choice.latencyS(), ms), skipped);
    }
    if ("energy".equals(by)) {
      return String.format("by energy: %s: %.3f tokens/J, p99 latency %s, throughput %.1f %s%s", choice.describe(),
          tokensPerJoule, latency(choice.latencyS(), ms), choice.throughput(), ms ? "tok/s" : "tokens/s", skipped);
    }
    return String.format("by %s: %s: %s latency %s, throughput %.1f %s%s%s", by, choice.describe(), by,
        latency(choice.latencyS(), ms), choice.throughput(), ms ? "tok/s" : "tokens/s",
        choice.fewSamples() ? String.format(" (p99 over %d calls: about the slowest one)", choice.latencySamples()) : "",
        skipped);
  }

  /** A latency given in seconds, as {@code 0.172 s} or {@code 171.9 ms}. */
  static String latency(double seconds, boolean ms) {
    return ms ? String.format("%.1f ms", seconds * 1000) : String.format("%.3f s", seconds);
  }
}
