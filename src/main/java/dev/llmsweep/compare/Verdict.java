package dev.llmsweep.compare;

/**
 * The verdict of one metric of one matched point (either side of the boundary). A change counts
 * only when the ratio (run / baseline) moves by more than the threshold <em>and</em> it is
 * significant after Holm's correction over every figure of the run ({@link Verdicts}): a large
 * but noisy change is not significant, and neither is the largest of many small ones.
 */
public enum Verdict {
  FASTER("faster"),
  SLOWER("slower"),
  NO_CHANGE("no significant change"),
  NOT_COMPARABLE("not comparable"),
  /**
   * A p99 over fewer than {@link Metric#P99_MIN_SAMPLES} calls on either side: about the slowest
   * call, whose bootstrap distribution is too coarse for a verdict (it would alarm on A/A runs).
   */
  TOO_FEW_CALLS("too few calls"),
  /**
   * The point drifted during its measured calls in either run ({@code points.unstable}): its
   * figures describe a mix of two speeds, so no verdict is made and they stay out of the Holm
   * family; the comparison lists such points instead of calling them slower or faster.
   */
  UNSTABLE("unstable"),
  ONLY_IN_RUN("only in run"),
  ONLY_IN_BASELINE("only in baseline");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The text stored in the {@code verdict} column. */
  public String label() {
    return label;
  }
}
