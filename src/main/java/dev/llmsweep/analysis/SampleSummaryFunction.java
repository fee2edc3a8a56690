package dev.llmsweep.analysis;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.aggregate.ImperativeAggregate;
import org.apache.spark.sql.catalyst.expressions.aggregate.TypedImperativeAggregate;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The SQL aggregate {@code sample_summary(call BIGINT, samples)}: pools every sample of every row
 * of a group and returns a {@link SampleSummary} (count, calls, mean, stddev, sorted samples, and
 * p50/p99 intervals that treat the samples of one generate call as one cluster). {@code call} names
 * the generate call a row's samples came from (the {@code repetition} within a point).
 *
 * <p>Why not {@code sort_array(collect_list(x))} or {@code percentile}: both box every sample; on
 * this machine they pool about 1 M samples a second. The buffers are primitive arrays on the
 * executors; the exact sort happens once per group in the final aggregation. Taking arrays also
 * means ITL lists are pooled without exploding them into rows.
 *
 * <p>A Catalyst expression (executor side): it reads its two inputs straight from Spark's rows and
 * ships its buffer as raw bytes. {@code samples} is a number (one sample; null adds none) or an
 * array of numbers (null elements and NaN skipped), so the SQL needs no {@code array(...)} around
 * scalars and no {@code array_compact} over ITL lists.
 *
 * <p>Why not Spark's {@code Aggregator} API: it converts every input row to a Java object through
 * an encoder and every shipped buffer through a bean encoder, boxing each sample on the way; on 10
 * M requests that conversion was a sixth of the aggregation's time. The result is the struct a bean
 * encoder gives {@link SampleSummary}, field for field, so the SQL reads it as before.
 */
public final class SampleSummaryFunction extends TypedImperativeAggregate<SampleBuffer>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The name the function has in SQL. */
  public static final String NAME = "sample_summary";

  /** The bean encoder's struct of {@link SampleSummary}: its properties in alphabetical order. */
  static final StructType RESULT =
      new StructType()
          .add("calls", DataTypes.LongType, false)
          .add("count", DataTypes.LongType, false)
          .add("mean", DataTypes.DoubleType, true)
          .add("p50CiHigh", DataTypes.DoubleType, true)
          .add("p50CiLow", DataTypes.DoubleType, true)
          .add("p99CiHigh", DataTypes.DoubleType, true)
          .add("p99CiLow", DataTypes.DoubleType, true)
          .add("sorted", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
          .add("stddev", DataTypes.DoubleType, true);

  private final Expression call;
  private final Expression samples;
  private final int mutableOffset;
  private final int inputOffset;

  public SampleSummaryFunction(
      Expression call, Expression samples, int mutableOffset, int inputOffset) {
    this.call = call;
    this.samples = samples;
    this.mutableOffset = mutableOffset;
    this.inputOffset = inputOffset;
  }

  /** Registers {@code sample_summary} in the session (driver side; idempotent). */
  public static void register(SparkSession spark) {
    ((org.apache.spark.sql.classic.SparkSession) spark)
        .sessionState()
        .functionRegistry()
        .createOrReplaceTempFunction(NAME, SampleSummaryFunction::of, "java_udf");
  }

  /** The SQL function's builder: exactly two arguments. */
  private static SampleSummaryFunction of(Seq<Expression> arguments) {
    if (arguments.size() != 2) {
      throw new IllegalArgumentException(
          NAME + " takes two arguments (call, samples), not " + arguments.size());
    }
    return new SampleSummaryFunction(arguments.apply(0), arguments.apply(1), 0, 0);
  }

  @Override
  public SampleBuffer createAggregationBuffer() {
    return new SampleBuffer();
  }

  @Override
  public SampleBuffer update(SampleBuffer buffer, InternalRow input) {
    Object value = samples.eval(input);
    if (value == null) {
      return buffer;
    }
    Object c = call.eval(input);
    long callId = c == null ? -1 : ((Number) c).longValue();
    if (value instanceof ArrayData array) {
      buffer.addAll(callId, array, ((ArrayType) samples.dataType()).elementType());
    } else {
      buffer.add(callId, ((Number) value).doubleValue());
    }
    return buffer;
  }

  @Override
  public SampleBuffer merge(SampleBuffer buffer, SampleBuffer other) {
    buffer.append(other);
    return buffer;
  }

  @Override
  public Object eval(SampleBuffer buffer) {
    double[] sorted = Arrays.copyOf(buffer.raw(), buffer.size());
    Arrays.sort(sorted);
    int[] calls = buffer.denseCalls();
    SampleSummary s = new SampleSummary(sorted, buffer.raw(), calls, calls[buffer.size()]);
    return new GenericInternalRow(
        new Object[] {
          s.getCalls(),
          s.getCount(),
          s.getMean(),
          s.getP50CiHigh(),
          s.getP50CiLow(),
          s.getP99CiHigh(),
          s.getP99CiLow(),
          UnsafeArrayData.fromPrimitiveArray(sorted),
          s.getStddev()
        });
  }

  @Override
  public byte[] serialize(SampleBuffer buffer) {
    return buffer.toBytes();
  }

  @Override
  public SampleBuffer deserialize(byte[] bytes) {
    return SampleBuffer.fromBytes(ByteBuffer.wrap(bytes));
  }

  @Override
  public DataType dataType() {
    return RESULT;
  }

  @Override
  public boolean nullable() {
    return false;
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public Seq<Expression> children() {
    return CollectionConverters.asScala(List.of(call, samples)).toList();
  }

  @Override
  public Expression withNewChildrenInternal(IndexedSeq<Expression> children) {
    return new SampleSummaryFunction(
        children.apply(0), children.apply(1), mutableOffset, inputOffset);
  }

  @Override
  public int mutableAggBufferOffset() {
    return mutableOffset;
  }

  @Override
  public ImperativeAggregate withNewMutableAggBufferOffset(int offset) {
    return new SampleSummaryFunction(call, samples, offset, inputOffset);
  }

  @Override
  public int inputAggBufferOffset() {
    return inputOffset;
  }

  @Override
  public ImperativeAggregate withNewInputAggBufferOffset(int offset) {
    return new SampleSummaryFunction(call, samples, mutableOffset, offset);
  }

  // Catalyst treats expressions as case classes: its copies (makeCopy) and its matching of
  // aggregate expressions rest on these four

  @Override
  public int productArity() {
    return 4;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> call;
      case 1 -> samples;
      case 2 -> mutableOffset;
      case 3 -> inputOffset;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  @Override
  public boolean canEqual(Object other) {
    return other instanceof SampleSummaryFunction;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SampleSummaryFunction o
        && call.equals(o.call)
        && samples.equals(o.samples)
        && mutableOffset == o.mutableOffset
        && inputOffset == o.inputOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(call, samples, mutableOffset, inputOffset);
  }
}
