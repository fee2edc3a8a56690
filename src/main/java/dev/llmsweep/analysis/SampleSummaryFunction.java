package dev.llmsweep.analysis;

import java.util.Arrays;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.AgnosticEncoders;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * The SQL aggregate {@code sample_summary(call BIGINT, samples ARRAY<DOUBLE>)}: pools every element
 * of every row of a group and returns a {@link SampleSummary} (count, calls, mean, stddev, sorted
 * samples, and p50/p99 intervals that treat the samples of one generate call as one cluster).
 * {@code call} names the generate call a row's samples came from (the {@code repetition} within a
 * point).
 *
 * <p>Why not {@code sort_array(collect_list(x))} or {@code percentile}: both box every sample; on
 * this machine they pool about 1 M samples a second, this function about 10 M, which is what keeps
 * 10 M requests with their inter-token latencies within a minute. The buffers are primitive arrays
 * on the executors; the exact sort happens once per group in the final aggregation. Taking arrays
 * also means ITL lists are pooled without exploding them into rows.
 */
public final class SampleSummaryFunction
    extends Aggregator<Tuple2<Long, double[]>, SampleBuffer, SampleSummary> {
  private static final long serialVersionUID = 1L;

  /** The name the function has in SQL. */
  public static final String NAME = "sample_summary";

  /** Registers {@code sample_summary} in the session (driver side; idempotent). */
  public static void register(SparkSession spark) {
    spark
        .udf()
        .register(
            NAME,
            functions.udaf(
                new SampleSummaryFunction(),
                Encoders.tuple(Encoders.LONG(), doubleArrayEncoder())));
  }

  @Override
  public SampleBuffer zero() {
    return new SampleBuffer();
  }

  @Override
  public SampleBuffer reduce(SampleBuffer buffer, Tuple2<Long, double[]> row) {
    double[] samples = row._2();
    if (samples != null) {
      buffer.addAll(row._1() == null ? -1 : row._1(), samples, samples.length);
    }
    return buffer;
  }

  @Override
  public SampleBuffer merge(SampleBuffer a, SampleBuffer b) {
    a.append(b);
    return a;
  }

  @Override
  public SampleSummary finish(SampleBuffer buffer) {
    double[] sorted = Arrays.copyOf(buffer.raw(), buffer.size());
    Arrays.sort(sorted);
    int[] calls = buffer.denseCalls();
    return new SampleSummary(sorted, buffer.raw(), calls, calls[buffer.size()]);
  }

  @Override
  public Encoder<SampleBuffer> bufferEncoder() {
    return Encoders.bean(SampleBuffer.class);
  }

  @Override
  public Encoder<SampleSummary> outputEncoder() {
    return Encoders.bean(SampleSummary.class);
  }

  /**
   * {@code ARRAY<DOUBLE>} as a Java {@code double[]}. Callers drop null elements first ({@code
   * array_compact}); NaN elements are skipped by the buffer.
   */
  @SuppressWarnings("unchecked")
  static Encoder<double[]> doubleArrayEncoder() {
    return (Encoder<double[]>)
        (Encoder<?>)
            ExpressionEncoder.apply(
                new AgnosticEncoders.ArrayEncoder<>(
                    AgnosticEncoders.PrimitiveDoubleEncoder$.MODULE$, false));
  }
}
