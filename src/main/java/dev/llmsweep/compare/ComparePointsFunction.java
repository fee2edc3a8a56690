package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side: turns one matched point (a row of {@code compare_samples.sql}: both runs'
 * pooled samples) into one {@code comparisons} row per {@link Metric}: each side's figure, the
 * ratio run / baseline, its bootstrap interval and the verdict. The random stream of each point
 * and metric family is seeded from the bootstrap seed and the point's parameters, so the same
 * inputs give the same intervals on any executor, in any order.
 */
public final class ComparePointsFunction implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** The point's parameters, in the order of {@code compare_samples.sql} and of {@link #SCHEMA}. */
  static final List<String> KEY = List.of("experiment", "batch_size", "max_tokens", "prompt_tokens", "temperature",
      "top_p", "top_k", "seed", "ignore_eos");

  /** The columns this function writes (the {@code comparisons} table adds {@code compared_at}). */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      f("run_id", DataTypes.StringType), f("baseline_run_id", DataTypes.StringType),
      f("experiment", DataTypes.StringType), f("batch_size", DataTypes.IntegerType),
      f("max_tokens", DataTypes.IntegerType), f("prompt_tokens", DataTypes.IntegerType),
      f("temperature", DataTypes.DoubleType), f("top_p", DataTypes.DoubleType),
      f("top_k", DataTypes.IntegerType), f("seed", DataTypes.LongType), f("ignore_eos", DataTypes.BooleanType),
      f("run_point_ids", DataTypes.createArrayType(DataTypes.StringType)),
      f("baseline_point_ids", DataTypes.createArrayType(DataTypes.StringType)),
      f("run_model", DataTypes.StringType), f("baseline_model", DataTypes.StringType),
      f("run_dtype", DataTypes.StringType), f("baseline_dtype", DataTypes.StringType),
      f("metric", DataTypes.StringType), f("unit", DataTypes.StringType),
      f("higher_is_better", DataTypes.BooleanType),
      f("baseline_value", DataTypes.DoubleType), f("run_value", DataTypes.DoubleType),
      f("ratio", DataTypes.DoubleType), f("ci_low", DataTypes.DoubleType), f("ci_high", DataTypes.DoubleType),
      f("baseline_samples", DataTypes.LongType), f("run_samples", DataTypes.LongType),
      f("few_samples", DataTypes.BooleanType), f("verdict", DataTypes.StringType),
      f("threshold", DataTypes.DoubleType), f("confidence", DataTypes.DoubleType),
      f("resamples", DataTypes.IntegerType), f("bootstrap_seed", DataTypes.LongType)});

  private final String run;
  private final String baseline;
  private final Settings settings;

  /**
   * How a comparison is made.
   *
   * @param threshold relative change that counts (0.10: 10%)
   * @param confidence of the bootstrap interval (0.95)
   * @param resamples bootstrap replicates per point and metric family
   * @param seed the bootstrap seed
   */
  public record Settings(double threshold, double confidence, int resamples, long seed) implements java.io.Serializable {}

  public ComparePointsFunction(String run, String baseline, Settings settings) {
    this.run = run;
    this.baseline = baseline;
    this.settings = settings;
  }

  @Override
  public Iterator<Row> call(Row point) {
    Object[] key = new Object[KEY.size()];
    StringBuilder canonical = new StringBuilder();
    for (int i = 0; i < key.length; i++) {
      key[i] = point.get(point.fieldIndex(KEY.get(i)));
      canonical.append(key[i]).append('\u0001');
    }
    boolean inRun = !point.isNullAt(point.fieldIndex("run_point_ids"));
    boolean inBaseline = !point.isNullAt(point.fieldIndex("baseline_point_ids"));
    List<Row> out = new ArrayList<>();
    for (String family : List.of("ttft", "e2e", "tpot")) {
      double[] r = sorted(point, "run_" + family);
      double[] b = sorted(point, "baseline_" + family);
      Metric[] metrics = family.equals("ttft") ? new Metric[] {Metric.TTFT_P50, Metric.TTFT_P99}
          : family.equals("e2e") ? new Metric[] {Metric.E2E_P50, Metric.E2E_P99}
          : new Metric[] {Metric.TPOT_P50, Metric.TPOT_P99};
      double[] ps = {0.5, 0.99};
      double[][] rr = replicates(r, ps, rng(canonical, family, 1));
      double[][] bb = replicates(b, ps, rng(canonical, family, 2));
      for (int i = 0; i < metrics.length; i++) {
        Double rv = r.length == 0 ? null : Bootstrap.quantile(r, ps[i]);
        Double bv = b.length == 0 ? null : Bootstrap.quantile(b, ps[i]);
        double[] ratios = null;
        if (rr != null && bb != null) {
          ratios = new double[settings.resamples()];
          for (int k = 0; k < ratios.length; k++) {
            ratios[k] = bb[k][i] > 0 ? rr[k][i] / bb[k][i] : Double.NaN;
          }
        }
        out.add(row(point, key, metrics[i], bv, rv, ratios, b.length, r.length, inRun, inBaseline));
      }
    }
    double[][] rb = batches(point, "run_batches");
    double[][] bbt = batches(point, "baseline_batches");
    Double rv = throughput(rb);
    Double bv = throughput(bbt);
    double[] ratios = null;
    if (rb[0].length > 0 && bbt[0].length > 0) {
      double[] x = Bootstrap.throughputs(rb[0], rb[1], settings.resamples(), rng(canonical, "throughput", 1));
      double[] y = Bootstrap.throughputs(bbt[0], bbt[1], settings.resamples(), rng(canonical, "throughput", 2));
      ratios = new double[x.length];
      for (int k = 0; k < x.length; k++) {
        ratios[k] = y[k] > 0 ? x[k] / y[k] : Double.NaN;
      }
    }
    out.add(row(point, key, Metric.THROUGHPUT, bv, rv, ratios, bbt[0].length, rb[0].length, inRun, inBaseline));
    return out.iterator();
  }

  private Row row(Row point, Object[] key, Metric metric, Double baselineValue, Double runValue, double[] ratios,
      long baselineSamples, long runSamples, boolean inRun, boolean inBaseline) {
    Double ratio = runValue != null && baselineValue != null && baselineValue > 0 ? runValue / baselineValue : null;
    double[] ci = ratios == null ? null : Bootstrap.interval(ratios, settings.confidence());
    Double low = ci == null ? null : ci[0];
    Double high = ci == null ? null : ci[1];
    Verdict verdict = !inBaseline ? Verdict.ONLY_IN_RUN : !inRun ? Verdict.ONLY_IN_BASELINE
        : Verdict.of(ratio, low, high, settings.threshold(), metric.higherIsBetter());
    boolean few = (inRun && metric.fewSamples(runSamples)) || (inBaseline && metric.fewSamples(baselineSamples));
    Object[] values = new Object[SCHEMA.size()];
    int i = 0;
    values[i++] = run;
    values[i++] = baseline;
    for (Object k : key) {
      values[i++] = k;
    }
    for (String c : List.of("run_point_ids", "baseline_point_ids", "run_model", "baseline_model", "run_dtype",
        "baseline_dtype")) {
      values[i++] = point.get(point.fieldIndex(c));
    }
    values[i++] = metric.column();
    values[i++] = metric.unit();
    values[i++] = metric.higherIsBetter();
    values[i++] = baselineValue;
    values[i++] = runValue;
    values[i++] = ratio;
    values[i++] = low;
    values[i++] = high;
    values[i++] = inBaseline ? baselineSamples : null;
    values[i++] = inRun ? runSamples : null;
    values[i++] = few;
    values[i++] = verdict.label();
    values[i++] = settings.threshold();
    values[i++] = settings.confidence();
    values[i++] = settings.resamples();
    values[i++] = settings.seed();
    return RowFactory.create(values);
  }

  private double[][] replicates(double[] sorted, double[] ps, SplittableRandom rng) {
    return sorted.length == 0 ? null : Bootstrap.quantiles(sorted, ps, settings.resamples(), rng);
  }

  /** One stream per point, metric family and side, independent of every other. */
  private SplittableRandom rng(CharSequence canonicalKey, String family, int side) {
    long h = settings.seed();
    for (char c : (canonicalKey + family + side).toCharArray()) {
      h = h * 1_000_003L + c;
    }
    return new SplittableRandom(h);
  }

  private static double[] sorted(Row point, String column) {
    int i = point.fieldIndex(column);
    if (point.isNullAt(i)) {
      return new double[0];
    }
    List<Object> xs = point.getList(i);
    return xs.stream().filter(x -> x != null).mapToDouble(x -> ((Number) x).doubleValue()).sorted().toArray();
  }

  /** Latencies and tokens of a side's measured batches, sorted by (latency, tokens). */
  private static double[][] batches(Row point, String column) {
    int i = point.fieldIndex(column);
    if (point.isNullAt(i)) {
      return new double[][] {new double[0], new double[0]};
    }
    List<Row> rows = new ArrayList<>(point.<Row>getList(i));
    rows.sort((a, b) -> a.getDouble(0) != b.getDouble(0) ? Double.compare(a.getDouble(0), b.getDouble(0))
        : Double.compare(a.getDouble(1), b.getDouble(1)));
    double[][] out = new double[2][rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      out[0][k] = rows.get(k).getDouble(0);
      out[1][k] = rows.get(k).getDouble(1);
    }
    return out;
  }

  private static Double throughput(double[][] batches) {
    double lat = 0;
    double tok = 0;
    for (int k = 0; k < batches[0].length; k++) {
      lat += batches[0][k];
      tok += batches[1][k];
    }
    return lat > 0 ? 1000 * tok / lat : null;
  }

  private static StructField f(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
