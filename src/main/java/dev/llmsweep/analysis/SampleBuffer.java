package dev.llmsweep.analysis;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Aggregation buffer of {@link SampleSummaryFunction}: the pooled samples of one group as a
 * growable primitive array, with the generate call of each sample run-length encoded (rows of one
 * call arrive together, so a call costs one run, not one entry per sample; executor side). A Java
 * bean so that Spark can ship it between the partial and the final aggregation.
 */
public final class SampleBuffer implements Serializable {
  private static final long serialVersionUID = 2L;

  private double[] values = new double[16];
  private int size;
  private long[] runCalls = new long[4];
  private int[] runLengths = new int[4];
  private int runs;

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

  /** The call of each run of samples, in sample order. */
  public long[] getRunCalls() {
    return Arrays.copyOf(runCalls, runs);
  }

  public void setRunCalls(long[] calls) {
    runCalls = calls.length == 0 ? new long[4] : calls;
    runs = calls.length;
  }

  /** The number of samples of each run. */
  public int[] getRunLengths() {
    return Arrays.copyOf(runLengths, runs);
  }

  public void setRunLengths(int[] lengths) {
    runLengths = lengths.length == 0 ? new int[4] : lengths;
  }

  int size() {
    return size;
  }

  double[] raw() {
    return values;
  }

  /** Adds every finite sample of one call; NaN (an undefined metric) is skipped. */
  void addAll(long call, double[] samples, int count) {
    ensure(count);
    int added = 0;
    for (int i = 0; i < count; i++) {
      double x = samples[i];
      if (!Double.isNaN(x)) {
        values[size++] = x;
        added++;
      }
    }
    addRun(call, added);
  }

  /** Appends another buffer's samples and runs. */
  void append(SampleBuffer other) {
    ensure(other.size);
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
    for (int r = 0; r < other.runs; r++) {
      addRun(other.runCalls[r], other.runLengths[r]);
    }
  }

  /**
   * Each sample's call as a dense index {@code 0 .. calls-1}, aligned with {@link #raw()}; {@code
   * out[size]} receives the number of calls.
   */
  int[] denseCalls() {
    int[] out = new int[size + 1];
    java.util.HashMap<Long, Integer> index = new java.util.HashMap<>();
    int at = 0;
    for (int r = 0; r < runs; r++) {
      int c = index.computeIfAbsent(runCalls[r], k -> index.size());
      Arrays.fill(out, at, at + runLengths[r], c);
      at += runLengths[r];
    }
    out[size] = index.size();
    return out;
  }

  private void addRun(long call, int length) {
    if (length == 0) {
      return;
    }
    if (runs > 0 && runCalls[runs - 1] == call) {
      runLengths[runs - 1] += length;
      return;
    }
    if (runs == runCalls.length) {
      runCalls = Arrays.copyOf(runCalls, runs * 2);
      runLengths = Arrays.copyOf(runLengths, runs * 2);
    }
    runCalls[runs] = call;
    runLengths[runs++] = length;
  }

  private void ensure(int more) {
    if (size + more > values.length) {
      values = Arrays.copyOf(values, Math.max(size + more, values.length * 2));
    }
  }
}
