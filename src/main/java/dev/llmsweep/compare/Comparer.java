package dev.llmsweep.compare;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.RawColumns;
import dev.llmsweep.analysis.SmallData;
import dev.llmsweep.analysis.SqlScript;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.spark.JobGroup;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Compares a run with a baseline run under one results root (driver side; the bootstrap runs on the
 * executors, one matched point per call of {@link ComparePointsFunction}). Aggregates either run
 * first when its {@code points} table is missing or stale, matches points with {@code
 * compare_samples.sql}, writes {@code ROOT/<run>/comparisons/<baseline>/} (one Parquet file,
 * written under {@code _attempts/} and renamed into place, replacing an older comparison with the
 * same baseline) and returns the rows read back from it.
 */
public final class Comparer {
  /** Default bootstrap replicates per point and metric family. */
  public static final int DEFAULT_RESAMPLES = 2000;

  /** Default bootstrap seed: the same inputs give the same intervals. */
  public static final long DEFAULT_SEED = 0;

  /** Confidence of every interval. */
  public static final double CONFIDENCE = 0.95;

  private Comparer() {}

  /**
   * Compares {@code run} with the run {@code baseline}.
   *
   * @throws MissingResultsException when a run has no committed points
   */
  public static Comparison compare(
      SparkSession spark, Run run, Run baseline, ComparePointsFunction.Settings settings) {
    return compare(spark, run, Baselines.Resolved.single(baseline), settings);
  }

  /**
   * Compares {@code run} with a resolved baseline ({@link Baselines#resolveAll}, which checked that
   * every run has committed points): one run, or the history's runs ({@code last:N}), whose
   * run-to-run spread then enters every verdict ({@link Judge}).
   *
   * @throws MissingResultsException when a run has no committed points (found when aggregating it)
   */
  public static Comparison compare(
      SparkSession spark,
      Run run,
      Baselines.Resolved baseline,
      ComparePointsFunction.Settings settings) {
    if (baseline.ids().contains(run.id())) {
      throw new MissingResultsException("run " + run.id() + " cannot be its own baseline");
    }
    List<Run> all = new ArrayList<>(List.of(run));
    all.addAll(baseline.runs());
    Aggregator.ensureAggregated(spark.newSession(), all);
    String uri = run.store().uri();
    SparkSession session = SmallData.forRuns(spark.newSession(), all);
    try (JobGroup group =
        JobGroup.set(
            session.sparkContext(),
            "compare-" + run.id(),
            "llm-sweep: compare run " + run.id() + " with " + String.join(", ", baseline.ids()))) {
      // a Hadoop glob over the runs: the views' `run` variable takes any path pattern
      String glob = "{" + String.join(",", all.stream().map(Run::id).toList()) + "}";
      Views.load(session, uri, glob, Set.of("requests", "batches"));
      // the points tables of the runs with the union of their columns: one written before the
      // serving columns (request_rate, engine) or the probes existed gets them as an older run
      // meant them
      session.conf().set("spark.sql.parquet.mergeSchema", "true");
      Views.load(session, uri, glob, Set.of("points"));
      RawColumns.fillMissingInPoints(
          session); // a view of the plan resolved now: it keeps the merged schema
      session.conf().unset("spark.sql.parquet.mergeSchema");
      Map<String, Object> params =
          Map.of("run", run.id(), "baselines", String.join(",", baseline.ids()));
      String sql = SqlScript.resource(Comparer.class, "compare_samples.sql").statements().get(0);
      Dataset<Row> matched = session.sql(sql, params);
      List<Row> figures =
          matched
              .flatMap(
                  new ComparePointsFunction(run.id(), baseline.label(), baseline.ids(), settings),
                  Encoders.row(ComparePointsFunction.SCHEMA))
              .collectAsList();
      Map<String, RunEnvironment> envs = environments(session, params);
      RunEnvironment runEnv = envs.getOrDefault(run.id(), RunEnvironment.unknown(run.id()));
      List<RunEnvironment> baselineEnvs =
          baseline.ids().stream()
              .map(b -> envs.getOrDefault(b, RunEnvironment.unknown(b)))
              .toList();
      EnvironmentChange change =
          EnvironmentChange.of(
              runEnv, RunEnvironment.median(baseline.label(), baselineEnvs), settings.threshold());
      Judged judged = judged(figures, settings, baseline.runs().size(), change);
      Dataset<Row> rows =
          session
              .createDataFrame(judged.rows(), ComparePointsFunction.SCHEMA)
              .withColumn("compared_at", functions.current_timestamp());
      Path attempt = run.attemptPath("comparisons");
      rows.coalesce(1).write().parquet(attempt.toString());
      Path target = run.comparisonTable(baseline.label());
      run.replace(attempt, target);
      List<ComparisonRow> read = new ArrayList<>();
      for (Row r : session.read().parquet(target.toString()).collectAsList()) {
        read.add(toRecord(r));
      }
      List<String> metricOrder =
          java.util.Arrays.stream(Metric.values()).map(Metric::column).toList();
      read.sort(
          Comparator.comparing((ComparisonRow r) -> r.setting().experiment())
              .thenComparingInt(r -> r.setting().batchSize())
              .thenComparingInt(r -> r.setting().maxTokens())
              .thenComparingInt(r -> r.setting().promptTokens())
              .thenComparingDouble(r -> r.setting().temperature())
              .thenComparingDouble(r -> r.setting().topP())
              .thenComparingInt(r -> r.setting().topK())
              .thenComparingLong(r -> r.setting().seed())
              .thenComparingDouble(r -> r.setting().requestRate())
              .thenComparingInt(r -> metricOrder.indexOf(r.figures().metric())));
      return new Comparison(
          run.id(),
          baseline.label(),
          settings,
          target.toString(),
          List.copyOf(read),
          baseline.ids(),
          judged.spread(),
          runEnv,
          baselineEnvs,
          change);
    }
  }

  /** Each compared run's probes ({@code run_environment.sql}), by run id. */
  private static Map<String, RunEnvironment> environments(
      SparkSession session, Map<String, Object> params) {
    String sql = SqlScript.resource(Comparer.class, "run_environment.sql").statements().get(0);
    Map<String, RunEnvironment> out = new java.util.HashMap<>();
    for (Row r : session.sql(sql, params).collectAsList()) {
      out.put(
          r.getAs("run_id"),
          new RunEnvironment(
              r.getAs("run_id"),
              r.getAs("read_gbps"),
              r.getAs("fma_gflops"),
              r.getAs("gpu_copy_gbps"),
              r.getAs("gpu_gemm_tflops"),
              r.getAs("sm_clock_mhz"),
              r.getAs("mem_clock_mhz"),
              r.getAs("cpu_free"),
              r.<Long>getAs("throttled_points"),
              r.<Long>getAs("points")));
    }
    return out;
  }

  /** The judged rows and the run-to-run spread they were judged with. */
  record Judged(List<Row> rows, RunSpread spread) {}

  /**
   * The figures with their p-values (with the run-to-run spread of a history), Holm adjustments and
   * verdicts ({@link Judge}), over every comparable figure of the run (a few thousand rows at most:
   * judged on the driver).
   */
  static Judged judged(
      List<Row> figures,
      ComparePointsFunction.Settings settings,
      int baselineRuns,
      EnvironmentChange env) {
    StructType schema = ComparePointsFunction.SCHEMA;
    List<Judge.Input> inputs = new ArrayList<>(figures.size());
    for (Row r : figures) {
      StringBuilder point = new StringBuilder();
      for (String k : ComparePointsFunction.KEY) {
        point.append(r.get(schema.fieldIndex(k))).append('\u0001');
      }
      Metric metric =
          java.util.Arrays.stream(Metric.values())
              .filter(m -> m.column().equals(r.getString(schema.fieldIndex("metric"))))
              .findFirst()
              .orElseThrow();
      List<Double> values =
          r.isNullAt(schema.fieldIndex("baseline_run_values"))
              ? List.of()
              : r.getList(schema.fieldIndex("baseline_run_values"));
      Double ratio =
          r.isNullAt(schema.fieldIndex("ratio")) ? null : r.getDouble(schema.fieldIndex("ratio"));
      inputs.add(
          new Judge.Input(
              point.toString(),
              metric,
              ratio,
              nan(r, "p_value"),
              nan(r, "se_log_ratio"),
              nan(r, "run_se_log"),
              values.stream().mapToDouble(x -> x == null ? Double.NaN : x).toArray(),
              Verdict.ofLabel(r.getString(schema.fieldIndex("verdict")))));
    }
    RunSpread spread = RunSpread.estimate(inputs, baselineRuns);
    List<Judge.Output> judged =
        Judge.judge(inputs, settings.threshold(), settings.confidence(), spread, env);
    List<Row> out = new ArrayList<>(figures.size());
    for (int i = 0; i < figures.size(); i++) {
      Row r = figures.get(i);
      Judge.Output o = judged.get(i);
      Object[] values = new Object[r.size()];
      for (int k = 0; k < values.length; k++) {
        values[k] = r.get(k);
      }
      if (!Double.isNaN(o.pHolm())) {
        values[schema.fieldIndex("p_value")] = o.pValue();
        values[schema.fieldIndex("p_value_holm")] = o.pHolm();
      }
      values[schema.fieldIndex("verdict")] = o.verdict().label();
      Metric metric = inputs.get(i).metric();
      values[schema.fieldIndex("run_spread")] =
          spread.known() ? Math.sqrt(spread.added(metric)) : null;
      values[schema.fieldIndex("env_factor")] = o.envFactor();
      out.add(RowFactory.create(values));
    }
    return new Judged(out, spread);
  }

  private static double nan(Row r, String column) {
    int i = ComparePointsFunction.SCHEMA.fieldIndex(column);
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  private static ComparisonRow toRecord(Row r) {
    return new ComparisonRow(
        new ComparisonRow.Setting(
            r.getAs("experiment"),
            r.<Integer>getAs("batch_size"),
            r.<Integer>getAs("max_tokens"),
            r.<Integer>getAs("prompt_tokens"),
            r.<Double>getAs("temperature"),
            r.<Double>getAs("top_p"),
            r.<Integer>getAs("top_k"),
            r.<Long>getAs("seed"),
            r.<Double>getAs("request_rate")),
        new ComparisonRow.Figures(
            r.getAs("metric"),
            r.getAs("unit"),
            r.getAs("baseline_value"),
            r.getAs("run_value"),
            r.getAs("baseline_samples"),
            r.getAs("run_samples"),
            r.getAs("baseline_calls"),
            r.getAs("run_calls"),
            r.<Boolean>getAs("few_samples")),
        new ComparisonRow.Test(
            r.getAs("ratio"),
            r.getAs("ci_low"),
            r.getAs("ci_high"),
            r.getAs("p_value_holm"),
            r.getAs("verdict")),
        new ComparisonRow.Environment(r.getAs("env_factor")));
  }
}
