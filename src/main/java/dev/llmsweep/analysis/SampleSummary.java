package dev.llmsweep.analysis;

import java.io.Serializable;

/**
 * Result of {@link SampleSummaryFunction} for one group: the sample count, mean, sample standard
 * deviation and the samples sorted ascending, from which the SQL in {@code points.sql} reads
 * quantiles and order-statistic confidence intervals. A Java bean, so in SQL it is a struct
 * {@code <count, mean, sorted, stddev>}.
 */
public final class SampleSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private Double mean;
  private Double stddev;
  private double[] sorted;

  public SampleSummary() {}

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
