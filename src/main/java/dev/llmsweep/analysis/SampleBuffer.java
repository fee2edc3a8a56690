package dev.llmsweep.analysis;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;

/**
 * Aggregation buffer of {@link SampleSummaryFunction}: the pooled samples of one group as a
 * growable primitive array, with the generate call of each sample run-length encoded (rows of one
 * call arrive together, so a call costs one run, not one entry per sample; executor side), shipped
 * between the partial and the final aggregation as bytes ({@link #toBytes()}).
 */
public final class SampleBuffer implements Serializable {
  private static final long serialVersionUID = 2L;

  private double[] values = new double[16];
  private int size;
  private long[] runCalls = new long[4];
  private int[] runLengths = new int[4];
  private int runs;

  public SampleBuffer() {}

  /** The buffer as shipped between the partial and the final aggregation. */
  byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(8 + 8 * size + 12 * runs);
    out.putInt(size).putInt(runs);
    out.asDoubleBuffer().put(values, 0, size);
    out.position(8 + 8 * size);
    out.asLongBuffer().put(runCalls, 0, runs);
    out.position(8 + 8 * size + 8 * runs);
    out.asIntBuffer().put(runLengths, 0, runs);
    return out.array();
  }

  /** A buffer shipped by {@link #toBytes()}. */
  static SampleBuffer fromBytes(ByteBuffer in) {
    SampleBuffer b = new SampleBuffer();
    b.size = in.getInt();
    b.runs = in.getInt();
    b.values = new double[Math.max(16, b.size)];
    in.asDoubleBuffer().get(b.values, 0, b.size);
    in.position(8 + 8 * b.size);
    b.runCalls = new long[Math.max(4, b.runs)];
    in.asLongBuffer().get(b.runCalls, 0, b.runs);
    in.position(8 + 8 * b.size + 8 * b.runs);
    b.runLengths = new int[Math.max(4, b.runs)];
    in.asIntBuffer().get(b.runLengths, 0, b.runs);
    return b;
  }

  int size() {
    return size;
  }

  double[] raw() {
    return values;
  }

  /** Adds one sample of a call unless it is NaN (an undefined metric). */
  void add(long call, double sample) {
    if (!Double.isNaN(sample)) {
      ensure(1);
      values[size++] = sample;
      addRun(call, 1);
    }
  }

  /**
   * Adds the samples of one call from a Spark array of {@code elementType} (a numeric type); null
   * elements and NaN are skipped.
   */
  void addAll(long call, ArrayData samples, DataType elementType) {
    int count = samples.numElements();
    ensure(count);
    int added = 0;
    for (int i = 0; i < count; i++) {
      if (samples.isNullAt(i)) {
        continue;
      }
      double x = element(samples, i, elementType);
      if (!Double.isNaN(x)) {
        values[size++] = x;
        added++;
      }
    }
    addRun(call, added);
  }

  private static double element(ArrayData a, int i, DataType type) {
    if (type instanceof DoubleType) {
      return a.getDouble(i);
    } else if (type instanceof FloatType) {
      return a.getFloat(i);
    } else if (type instanceof LongType) {
      return a.getLong(i);
    } else if (type instanceof IntegerType) {
      return a.getInt(i);
    }
    throw new IllegalArgumentException(
        SampleSummaryFunction.NAME + " takes numbers or arrays of numbers, not " + type);
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
