package dev.llmsweep.analysis;

/**
 * A configuration considered by a recommendation, with the 95% intervals of the figures the rule
 * compares (widened by the run-to-run spread where earlier runs of the job exist).
 *
 * @param choice the point and its estimates (as the rule's SQL picked or listed it)
 * @param latency the batch latency quantile the rule looks at (p50 for the sweet spot; the budget's
 *     p50 or p99), in seconds
 * @param throughput output tokens per second
 */
public record Candidate(Choice choice, Estimate latency, Estimate throughput) {

  /** The batch size, as ranges are named. */
  public int batchSize() {
    return choice.batchSize();
  }
}
