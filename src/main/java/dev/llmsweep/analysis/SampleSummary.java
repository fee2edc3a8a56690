package dev.llmsweep.analysis;

import java.io.Serializable;

/**
 * Result of {@link SampleSummaryFunction} for one group: the sample count, the generate calls they
 * came from, mean, sample standard deviation, the samples sorted ascending (from which the SQL in
 * {@code points.sql} reads quantiles) and the 95% intervals of p50 and p99 for samples clustered by
 * call ({@link ClusteredQuantile}; null for a bound the data cannot give). A Java bean, so in SQL
 * it is a struct {@code <calls, count, mean, p50CiHigh, p50CiLow, p99CiHigh, p99CiLow, sorted,
 * stddev>}.
 */
public final class SampleSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private long calls;
  private Double p50CiLow;
  private Double p50CiHigh;
  private Double p99CiLow;
  private Double p99CiHigh;
  private Double mean;
  private Double stddev;
  private double[] sorted;

  public SampleSummary() {}

  SampleSummary(double[] sortedSamples, double[] values, int[] call, int calls) {
    this(sortedSamples);
    this.calls = calls;
    double[] p50 = ClusteredQuantile.interval(sortedSamples, values, call, calls, 0.5);
    double[] p99 = ClusteredQuantile.interval(sortedSamples, values, call, calls, 0.99);
    if (p50 != null) {
      p50CiLow = bound(p50[0]);
      p50CiHigh = bound(p50[1]);
      p99CiLow = bound(p99[0]);
      p99CiHigh = bound(p99[1]);
    }
  }

  private static Double bound(double x) {
    return Double.isNaN(x) ? null : x;
  }

  SampleSummary(double[] sortedSamples) {
    sorted = sortedSamples;
    count = sortedSamples.length;
    int n = sortedSamples.length;
    if (n > 0) {
      double sum = 0;
      for (double x : sortedSamples) {
        sum += x;
      }
      double m = sum / n;
      mean = m;
      if (n > 1) {
        // two-pass: no cancellation for samples far from zero
        double squares = 0;
        for (double x : sortedSamples) {
          squares += (x - m) * (x - m);
        }
        stddev = Math.sqrt(squares / (n - 1));
      }
    }
  }

  public long getCount() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  /** Distinct generate calls the samples came from: the independent units. */
  public long getCalls() {
    return calls;
  }

  public void setCalls(long calls) {
    this.calls = calls;
  }

  /**
   * Lower bound of the 95% interval of p50 (clustered by call); null when the data cannot bound it.
   */
  public Double getP50CiLow() {
    return p50CiLow;
  }

  public void setP50CiLow(Double v) {
    p50CiLow = v;
  }

  public Double getP50CiHigh() {
    return p50CiHigh;
  }

  public void setP50CiHigh(Double v) {
    p50CiHigh = v;
  }

  public Double getP99CiLow() {
    return p99CiLow;
  }

  public void setP99CiLow(Double v) {
    p99CiLow = v;
  }

  public Double getP99CiHigh() {
    return p99CiHigh;
  }

  public void setP99CiHigh(Double v) {
    p99CiHigh = v;
  }

  /** Arithmetic mean; null without samples. */
  public Double getMean() {
    return mean;
  }

  public void setMean(Double mean) {
    this.mean = mean;
  }

  /** Sample standard deviation (n - 1 in the denominator); null for fewer than two samples. */
  public Double getStddev() {
    return stddev;
  }

  public void setStddev(Double stddev) {
    this.stddev = stddev;
  }

  /** All samples, ascending. */
  public double[] getSorted() {
    return sorted;
  }

  public void setSorted(double[] sorted) {
    this.sorted = sorted;
  }
}
