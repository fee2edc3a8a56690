package dev.llmsweep.compare;

/**
 * The verdict of one metric of one matched point (either side of the boundary). A change counts
 * only when the ratio (run / baseline) moves by more than the threshold <em>and</em> the whole
 * bootstrap interval lies on the same side of 1: a large but noisy change is not significant.
 */
public enum Verdict {
  FASTER("faster"),
  SLOWER("slower"),
  NO_CHANGE("no significant change"),
  NOT_COMPARABLE("not comparable"),
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

  /**
   * The verdict for a ratio and its interval; {@code ciLow}/{@code ciHigh} null when undefined.
   *
   * @param higherIsBetter true for throughput (a falling ratio is slower), false for latencies
   */
  public static Verdict of(Double ratio, Double ciLow, Double ciHigh, double threshold, boolean higherIsBetter) {
    if (ratio == null || ciLow == null || ciHigh == null || !Double.isFinite(ratio)) {
      return NOT_COMPARABLE;
    }
    boolean up = ratio > 1 + threshold && ciLow > 1;
    boolean down = ratio < 1 - threshold && ciHigh < 1;
    if (up) {
      return higherIsBetter ? FASTER : SLOWER;
    }
    if (down) {
      return higherIsBetter ? SLOWER : FASTER;
    }
    return NO_CHANGE;
  }
}
