package dev.llmsweep.compare;

/**
 * The figures a comparison looks at (both sides of the boundary: names travel in rows). Latency
 * quantiles come from per-request samples of the measured calls (warm-ups and proxy calls
 * excluded); throughput is output tokens per second over the measured batches.
 */
public enum Metric {
  TTFT_P50("ttft", 0.5),
  TTFT_P99("ttft", 0.99),
  E2E_P50("e2e", 0.5),
  E2E_P99("e2e", 0.99),
  TPOT_P50("tpot", 0.5),
  TPOT_P99("tpot", 0.99),
  THROUGHPUT("throughput", Double.NaN);

  /**
   * Below this many generate calls a p99 is about the slowest call (flagged, as in {@code points},
   * and given no verdict).
   */
  public static final long P99_MIN_SAMPLES = 100;

  private final String family;
  private final double quantile;

  Metric(String family, double quantile) {
    this.family = family;
    this.quantile = quantile;
  }

  /**
   * The column name in the {@code comparisons} table, e.g. {@code ttft_p99}, {@code throughput}.
   */
  public String column() {
    return this == THROUGHPUT ? "throughput" : family + (quantile == 0.5 ? "_p50" : "_p99");
  }

  public String family() {
    return family;
  }

  public double quantile() {
    return quantile;
  }

  public String unit() {
    return this == THROUGHPUT ? "tokens/s" : "ms";
  }

  /** Throughput: higher is better; every latency: lower is better. */
  public boolean higherIsBetter() {
    return this == THROUGHPUT;
  }

  /** Whether {@code calls} are too few for this figure to mean what its name says. */
  public boolean fewSamples(long calls) {
    return quantile == 0.99 && calls < P99_MIN_SAMPLES;
  }
}
