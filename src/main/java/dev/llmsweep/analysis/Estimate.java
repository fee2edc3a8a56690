package dev.llmsweep.analysis;

/**
 * A figure with its 95% interval. A side the data cannot bound (the points table's NULL bound) is
 * infinite above and, for latencies and throughputs, 0 below, so every comparison stays defined.
 *
 * @param value the estimate (a quantile or a throughput) as the points table gives it
 * @param low the interval's lower bound (at most {@code value})
 * @param high the interval's upper bound (at least {@code value}; +infinity when unbounded)
 */
public record Estimate(double value, double low, double high) {

  /** An estimate from the points table's columns, a NULL bound read as unbounded. */
  public static Estimate of(double value, Double low, Double high) {
    return new Estimate(
        value,
        low == null ? 0 : Math.min(low, value),
        high == null ? Double.POSITIVE_INFINITY : Math.max(high, value));
  }

  /**
   * The interval stretched to take in {@code figure}: the same point's figure in another run of the
   * job, so the interval covers the run-to-run spread as well as this run's sampling error.
   */
  public Estimate widen(double figure) {
    return new Estimate(value, Math.min(low, figure), Math.max(high, figure));
  }

  /** Whether the two intervals share a value: the figures cannot be told apart. */
  public boolean overlaps(Estimate o) {
    return low <= o.high && o.low <= high;
  }

  /**
   * The interval of a throughput measured over the same calls as this p50 batch latency: throughput
   * is tokens over wall time, so its relative uncertainty is taken as the latency's (inverted), the
   * points table having no interval of its own for it.
   */
  Estimate throughputOf(double throughput) {
    double lowT = Double.isInfinite(high) ? 0 : throughput * value / high;
    double highT = low > 0 ? throughput * value / low : Double.POSITIVE_INFINITY;
    return new Estimate(throughput, Math.min(lowT, throughput), Math.max(highT, throughput));
  }

  /** {@code [low–high]} with the value's format, {@code …} for an unbounded side. */
  public String interval(String format, double scale) {
    return "["
        + String.format(format, low * scale)
        + "–"
        + (Double.isInfinite(high) ? "unbounded" : String.format(format, high * scale))
        + "]";
  }
}
