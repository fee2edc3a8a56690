package dev.llmsweep.analysis;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Aggregation buffer of {@link SampleSummaryFunction}: the pooled samples of one group as a
 * growable primitive array (executor side). A Java bean so that Spark can ship it between the
 * partial and the final aggregation.
 */
public final class SampleBuffer implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] values = new double[16];
  private int size;

  public SampleBuffer() {}

  /** The samples added so far, trimmed (called by Spark's encoder when the buffer is shipped). */
  public double[] getValues() {
    return Arrays.copyOf(values, size);
  }

  /** Restores a shipped buffer. */
  public void setValues(double[] samples) {
    values = samples.length == 0 ? new double[16] : samples;
    size = samples.length;
  }

  int size() {
    return size;
  }

  double[] raw() {
    return values;
  }

  /** Adds every finite sample; nulls never reach here and NaN (an undefined metric) is skipped. */
  void addAll(double[] samples, int count) {
    ensure(count);
    for (int i = 0; i < count; i++) {
      double x = samples[i];
      if (!Double.isNaN(x)) {
        values[size++] = x;
      }
    }
  }

  private void ensure(int more) {
    if (size + more > values.length) {
      values = Arrays.copyOf(values, Math.max(size + more, values.length * 2));
    }
  }
}
