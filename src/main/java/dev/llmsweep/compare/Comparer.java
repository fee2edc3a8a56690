package dev.llmsweep.compare;

import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.RawColumns;
import dev.llmsweep.analysis.SqlScript;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.spark.JobGroup;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.RunStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Compares a run with a baseline run under one results root (driver side; the bootstrap runs on
 * the executors, one matched point per call of {@link ComparePointsFunction}). Aggregates either
 * run first when its {@code points} table is missing or stale, matches points with
 * {@code compare_samples.sql}, writes {@code ROOT/<run>/comparisons/<baseline>/} (one Parquet
 * file, written under {@code _attempts/} and renamed into place, replacing an older comparison
 * with the same baseline) and returns the rows read back from it.
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
   * Compares {@code run} with {@code baseline} (both run ids, already resolved).
   *
   * @throws MissingResultsException when either run is missing or has no committed points
   */
  public static Comparison compare(SparkSession spark, String resultsRoot, String run, String baseline,
      ComparePointsFunction.Settings settings) {
    RunStore root = RunStore.openExisting(resultsRoot, spark.sparkContext().hadoopConfiguration());
    root.requireCommitted(run);
    root.requireCommitted(baseline);
    if (run.equals(baseline)) {
      throw new MissingResultsException("run " + run + " cannot be its own baseline");
    }
    Aggregator.ensureAggregated(spark.newSession(), root.uri(), List.of(run, baseline));
    SparkSession session = spark.newSession();
    try (JobGroup group = JobGroup.set(session.sparkContext(), "compare-" + run,
        "llm-sweep: compare run " + run + " with " + baseline)) {
      // a Hadoop glob over both runs: the views' `run` variable takes any path pattern
      String both = "{" + run + "," + baseline + "}";
      Views.load(session, root.uri(), both, Set.of("requests", "batches"));
      // the points tables of both runs with the union of their columns: one written before the
      // serving columns (request_rate, engine) existed gets them as an older run meant them
      session.conf().set("spark.sql.parquet.mergeSchema", "true");
      Views.load(session, root.uri(), both, Set.of("points"));
      RawColumns.fillMissingInPoints(session); // a view of the plan resolved now: it keeps the merged schema
      session.conf().unset("spark.sql.parquet.mergeSchema");
      String sql = SqlScript.resource(Comparer.class, "compare_samples.sql").statements().get(0);
      Dataset<Row> matched = session.sql(sql, Map.<String, Object>of("run", run, "baseline", baseline));
      List<Row> figures = matched
          .flatMap(new ComparePointsFunction(run, baseline, settings), Encoders.row(ComparePointsFunction.SCHEMA))
          .collectAsList();
      Dataset<Row> rows = session.createDataFrame(judged(figures, settings), ComparePointsFunction.SCHEMA)
          .withColumn("compared_at", functions.current_timestamp());
      Path attempt = root.attemptPath(run, "comparisons");
      rows.coalesce(1).write().parquet(attempt.toString());
      Path target = root.comparisonTable(run, baseline);
      root.replace(attempt, target);
      List<ComparisonRow> read = new ArrayList<>();
      for (Row r : session.read().parquet(target.toString()).collectAsList()) {
        read.add(toRecord(r));
      }
      List<String> metricOrder = java.util.Arrays.stream(Metric.values()).map(Metric::column).toList();
      read.sort(Comparator.comparing(ComparisonRow::experiment).thenComparingInt(ComparisonRow::batchSize)
          .thenComparingInt(ComparisonRow::maxTokens).thenComparingInt(ComparisonRow::promptTokens)
          .thenComparingDouble(ComparisonRow::temperature).thenComparingDouble(ComparisonRow::topP)
          .thenComparingInt(ComparisonRow::topK).thenComparingLong(ComparisonRow::seed)
          .thenComparingDouble(ComparisonRow::requestRate)
          .thenComparingInt(r -> metricOrder.indexOf(r.metric())));
      return new Comparison(run, baseline, settings, target.toString(), List.copyOf(read));
    }
  }

  /**
   * The figures with their Holm-adjusted p-values and verdicts ({@link Verdicts}), over every
   * comparable figure of the run (a few thousand rows at most: judged on the driver).
   */
  static List<Row> judged(List<Row> figures, ComparePointsFunction.Settings settings) {
    int pAt = ComparePointsFunction.SCHEMA.fieldIndex("p_value");
    int holmAt = ComparePointsFunction.SCHEMA.fieldIndex("p_value_holm");
    int verdictAt = ComparePointsFunction.SCHEMA.fieldIndex("verdict");
    int ratioAt = ComparePointsFunction.SCHEMA.fieldIndex("ratio");
    int betterAt = ComparePointsFunction.SCHEMA.fieldIndex("higher_is_better");
    double[] p = new double[figures.size()];
    for (int i = 0; i < p.length; i++) {
      Row r = figures.get(i);
      p[i] = r.isNullAt(verdictAt) && !r.isNullAt(pAt) ? r.getDouble(pAt) : Double.NaN;
    }
    double[] adjusted = Verdicts.holm(p);
    List<Row> out = new ArrayList<>(figures.size());
    for (int i = 0; i < p.length; i++) {
      Row r = figures.get(i);
      Object[] values = new Object[r.size()];
      for (int k = 0; k < values.length; k++) {
        values[k] = r.get(k);
      }
      if (!Double.isNaN(adjusted[i])) {
        values[holmAt] = adjusted[i];
        values[verdictAt] = Verdicts.of((Double) values[ratioAt], adjusted[i], 1 - settings.confidence(),
            settings.threshold(), r.getBoolean(betterAt)).label();
      } else if (values[verdictAt] == null) {
        values[verdictAt] = Verdict.NOT_COMPARABLE.label();
      }
      out.add(org.apache.spark.sql.RowFactory.create(values));
    }
    return out;
  }

  private static ComparisonRow toRecord(Row r) {
    return new ComparisonRow(r.getAs("experiment"), r.<Integer>getAs("batch_size"), r.<Integer>getAs("max_tokens"),
        r.<Integer>getAs("prompt_tokens"), r.<Double>getAs("temperature"), r.<Double>getAs("top_p"),
        r.<Integer>getAs("top_k"), r.<Long>getAs("seed"), r.<Double>getAs("request_rate"), r.getAs("metric"),
        r.getAs("unit"),
        r.getAs("baseline_value"), r.getAs("run_value"), r.getAs("ratio"), r.getAs("ci_low"), r.getAs("ci_high"),
        r.getAs("baseline_samples"), r.getAs("run_samples"), r.getAs("baseline_calls"), r.getAs("run_calls"), r.<Boolean>getAs("few_samples"),
        r.getAs("p_value_holm"), r.getAs("verdict"));
  }
}
