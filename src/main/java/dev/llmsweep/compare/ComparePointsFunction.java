package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side: turns one matched point (a row of {@code compare_samples.sql}: both runs' samples,
 * grouped by generate call) into one {@code comparisons} row per {@link Metric} with {@link
 * PointComparison}: each side's figure, the ratio run / baseline, its bootstrap interval and
 * p-value. The random stream of each point and metric family is seeded from the bootstrap seed and
 * the point's parameters, so the same inputs give the same intervals on any executor, in any order.
 * The verdicts are made on the driver ({@link Verdicts}), over every figure of the run.
 */
public final class ComparePointsFunction implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /**
   * The point's parameters, in the order of {@code compare_samples.sql} and of {@link #SCHEMA}:
   * what matches a point in both runs. {@code request_rate} is the open-loop load (0: closed loop),
   * so the points of a load sweep are compared rate by rate, never pooled.
   */
  static final List<String> KEY =
      List.of(
          "experiment",
          "batch_size",
          "max_tokens",
          "prompt_tokens",
          "temperature",
          "top_p",
          "top_k",
          "seed",
          "ignore_eos",
          "request_rate");

  /** The columns this function writes (the {@code comparisons} table adds {@code compared_at}). */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            f("run_id", DataTypes.StringType),
            f("baseline_run_id", DataTypes.StringType),
            f("experiment", DataTypes.StringType),
            f("batch_size", DataTypes.IntegerType),
            f("max_tokens", DataTypes.IntegerType),
            f("prompt_tokens", DataTypes.IntegerType),
            f("temperature", DataTypes.DoubleType),
            f("top_p", DataTypes.DoubleType),
            f("top_k", DataTypes.IntegerType),
            f("seed", DataTypes.LongType),
            f("ignore_eos", DataTypes.BooleanType),
            f("request_rate", DataTypes.DoubleType),
            f("run_point_ids", DataTypes.createArrayType(DataTypes.StringType)),
            f("baseline_point_ids", DataTypes.createArrayType(DataTypes.StringType)),
            f("run_model", DataTypes.StringType),
            f("baseline_model", DataTypes.StringType),
            f("run_dtype", DataTypes.StringType),
            f("baseline_dtype", DataTypes.StringType),
            f("run_engine", DataTypes.StringType),
            f("baseline_engine", DataTypes.StringType),
            f("run_unstable", DataTypes.BooleanType),
            f("baseline_unstable", DataTypes.BooleanType),
            f("metric", DataTypes.StringType),
            f("unit", DataTypes.StringType),
            f("higher_is_better", DataTypes.BooleanType),
            f("baseline_value", DataTypes.DoubleType),
            f("run_value", DataTypes.DoubleType),
            f("ratio", DataTypes.DoubleType),
            f("ci_low", DataTypes.DoubleType),
            f("ci_high", DataTypes.DoubleType),
            f("baseline_samples", DataTypes.LongType),
            f("run_samples", DataTypes.LongType),
            f("baseline_calls", DataTypes.LongType),
            f("run_calls", DataTypes.LongType),
            f("few_samples", DataTypes.BooleanType),
            f("p_value", DataTypes.DoubleType),
            f("p_value_holm", DataTypes.DoubleType),
            f("verdict", DataTypes.StringType),
            f("threshold", DataTypes.DoubleType),
            f("confidence", DataTypes.DoubleType),
            f("resamples", DataTypes.IntegerType),
            f("bootstrap_seed", DataTypes.LongType),
            f("baseline_run_ids", DataTypes.createArrayType(DataTypes.StringType)),
            f("run_env_changed", DataTypes.BooleanType),
            f("baseline_env_changed", DataTypes.BooleanType),
            f("baseline_run_values", DataTypes.createArrayType(DataTypes.DoubleType)),
            f("se_log_ratio", DataTypes.DoubleType),
            f("run_se_log", DataTypes.DoubleType),
            f("run_spread", DataTypes.DoubleType),
            f("env_factor", DataTypes.DoubleType)
          });

  private final String run;
  private final String baseline;
  private final List<String> baselineRuns;
  private final Settings settings;

  /**
   * How a comparison is made.
   *
   * @param threshold relative change that counts (0.10: 10%)
   * @param confidence of the bootstrap interval (0.95)
   * @param resamples bootstrap replicates per point and metric family
   * @param seed the bootstrap seed
   */
  public record Settings(double threshold, double confidence, int resamples, long seed)
      implements java.io.Serializable {}

  /**
   * @param run the run judged
   * @param baseline what the {@code baseline_run_id} column says: the baseline run, or {@code
   *     last-N} for a history
   * @param baselineRuns the baseline's runs (one, or the history's), in a fixed order
   * @param settings how the comparison is made
   */
  public ComparePointsFunction(
      String run, String baseline, List<String> baselineRuns, Settings settings) {
    this.run = run;
    this.baseline = baseline;
    this.baselineRuns = List.copyOf(baselineRuns);
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
    List<PointSamples> baselines = new ArrayList<>();
    for (String b : baselineRuns) {
      baselines.add(samples(point, "baseline", b));
    }
    for (PointComparison.Figure f :
        PointComparison.figures(
            samples(point, "run", null), baselines, settings, canonical.toString())) {
      out.add(row(point, key, f, inRun, inBaseline));
    }
    return out.iterator();
  }

  /**
   * The row of one figure; its verdict is provisional ({@code only in ...}, {@code unstable},
   * {@code env changed}, {@code too few calls} or {@code not comparable}, else null) until {@link
   * Judge} has seen every figure of the run.
   */
  private Row row(
      Row point, Object[] key, PointComparison.Figure f, boolean inRun, boolean inBaseline) {
    Metric metric = f.metric();
    boolean few =
        (inRun && metric.fewSamples(f.runCalls()))
            || (inBaseline && metric.fewSamples(f.baselineCalls()));
    boolean unstable = flag(point, "run_unstable") || flag(point, "baseline_unstable");
    boolean envChanged = flag(point, "run_env_changed") || flag(point, "baseline_env_changed");
    String verdict =
        !inBaseline
            ? Verdict.ONLY_IN_RUN.label()
            : !inRun
                ? Verdict.ONLY_IN_BASELINE.label()
                : unstable
                    ? Verdict.UNSTABLE.label()
                    : envChanged
                        ? Verdict.ENV_CHANGED.label()
                        : f.ratio() == null || f.ciLow() == null || Double.isNaN(f.pValue())
                            ? Verdict.NOT_COMPARABLE.label()
                            : few ? Verdict.TOO_FEW_CALLS.label() : null;
    Object[] values = new Object[SCHEMA.size()];
    int i = 0;
    values[i++] = run;
    values[i++] = baseline;
    for (Object k : key) {
      values[i++] = k;
    }
    for (String c :
        List.of(
            "run_point_ids",
            "baseline_point_ids",
            "run_model",
            "baseline_model",
            "run_dtype",
            "baseline_dtype",
            "run_engine",
            "baseline_engine",
            "run_unstable",
            "baseline_unstable")) {
      values[i++] = point.get(point.fieldIndex(c));
    }
    values[i++] = metric.column();
    values[i++] = metric.unit();
    values[i++] = metric.higherIsBetter();
    values[i++] = f.baselineValue();
    values[i++] = f.runValue();
    values[i++] = f.ratio();
    values[i++] = f.ciLow();
    values[i++] = f.ciHigh();
    values[i++] = inBaseline ? f.baselineSamples() : null;
    values[i++] = inRun ? f.runSamples() : null;
    values[i++] = inBaseline ? f.baselineCalls() : null;
    values[i++] = inRun ? f.runCalls() : null;
    values[i++] = few;
    values[i++] = Double.isNaN(f.pValue()) ? null : f.pValue();
    values[i++] = null; // p_value_holm: set by Verdicts over the whole run
    values[i++] = verdict;
    values[i++] = settings.threshold();
    values[i++] = settings.confidence();
    values[i++] = settings.resamples();
    values[i++] = settings.seed();
    values[i++] = baselineRuns.toArray(new String[0]);
    values[i++] = flag(point, "run_env_changed");
    values[i++] = flag(point, "baseline_env_changed");
    values[i++] =
        java.util.Arrays.stream(f.baselineRunValues())
            .boxed()
            .map(x -> x.isNaN() ? null : x)
            .toArray(Double[]::new);
    values[i++] = Double.isNaN(f.seLog()) ? null : f.seLog();
    values[i++] = Double.isNaN(f.runSeLog()) ? null : f.runSeLog();
    values[i++] = null; // run_spread: set by Judge over the whole run
    values[i++] = null; // env_factor: likewise
    return RowFactory.create(values);
  }

  private static boolean flag(Row point, String column) {
    int i = point.fieldIndex(column);
    return !point.isNullAt(i) && point.getBoolean(i);
  }

  /**
   * One side's samples: request samples grouped by call, and the measured batches; of one of the
   * side's runs when {@code onlyRun} is not null.
   */
  private static PointSamples samples(Row point, String side, String onlyRun) {
    int ci = point.fieldIndex(side + "_calls");
    List<double[]> ttft = new ArrayList<>();
    List<double[]> e2e = new ArrayList<>();
    List<double[]> tpot = new ArrayList<>();
    if (!point.isNullAt(ci)) {
      for (Row call : point.<Row>getList(ci)) {
        if (onlyRun != null && !onlyRun.equals(call.getAs("run_id"))) {
          continue;
        }
        ttft.add(doubles(call, "ttft"));
        e2e.add(doubles(call, "e2e"));
        tpot.add(doubles(call, "tpot"));
      }
    }
    int bi = point.fieldIndex(side + "_batches");
    List<Row> batches =
        point.isNullAt(bi)
            ? List.of()
            : point.<Row>getList(bi).stream()
                .filter(b -> onlyRun == null || onlyRun.equals(b.getAs("run_id")))
                .toList();
    double[] latency = new double[batches.size()];
    double[] tokens = new double[batches.size()];
    for (int k = 0; k < latency.length; k++) {
      latency[k] = batches.get(k).getDouble(0);
      tokens[k] = batches.get(k).getDouble(1);
    }
    return new PointSamples(ttft, e2e, tpot, latency, tokens);
  }

  private static double[] doubles(Row call, String column) {
    int i = call.fieldIndex(column);
    if (call.isNullAt(i)) {
      return new double[0];
    }
    return call.getList(i).stream()
        .filter(x -> x != null)
        .mapToDouble(x -> ((Number) x).doubleValue())
        .toArray();
  }

  private static StructField f(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
