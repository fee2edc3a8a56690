package dev.llmsweep.compare;

/**
 * The verdict of one metric of one matched point (either side of the boundary). A change counts
 * only when the ratio (run / baseline) moves by more than the threshold <em>and</em> it is
 * significant after Holm's correction over every figure of the run ({@link Verdicts}): a large but
 * noisy change is not significant, and neither is the largest of many small ones.
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
  /**
   * The point's calibration probes before and after it differ beyond the tolerance in either run
   * ({@code points.env_changed}): the machine changed while it was measured, so, as with {@link
   * #UNSTABLE}, no verdict and no place in the Holm family.
   */
  ENV_CHANGED("env changed"),
  /**
   * The figure changed significantly beyond the threshold, but the machine changed between the runs
   * and explains it: judged against the environment's ratio ({@link Judge}), the figure is not a
   * change. Inconclusive: exit 4 unless another figure is slower.
   */
  ENVIRONMENT("environment"),
  ONLY_IN_RUN("only in run"),
  ONLY_IN_BASELINE("only in baseline");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The verdict whose {@link #label()} is {@code label}, null for null. */
  public static Verdict ofLabel(String label) {
    if (label == null) {
      return null;
    }
    for (Verdict v : values()) {
      if (v.label.equals(label)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown verdict '" + label + "'");
  }

  /** The text stored in the {@code verdict} column. */
  public String label() {
    return label;
  }
}
