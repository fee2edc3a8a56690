package dev.llmsweep.cli;

import dev.llmsweep.compare.Baselines;
import dev.llmsweep.compare.ComparePointsFunction;
import dev.llmsweep.compare.Comparer;
import dev.llmsweep.compare.Comparison;
import dev.llmsweep.compare.ComparisonReport;
import dev.llmsweep.job.CompareSettings;
import dev.llmsweep.store.Run;
import org.apache.spark.sql.SparkSession;

/**
 * The end of a run whose job file names a baseline: compare the committed run with it (driver
 * side). Kept out of {@link RunCommand} because picocli reflects over command classes, and a Spark
 * type in their signatures would break {@code submit generate}, which runs without Spark.
 */
final class JobBaseline {
  private JobBaseline() {}

  /**
   * Returns the exit code: {@link ErrorHandler#REGRESSION} on a significant regression, {@link
   * ErrorHandler#ENVIRONMENT} when the machine's change explains every change, else 0.
   */
  static int compare(SparkSession spark, Run run, CompareSettings compare) {
    Baselines.Resolved baseline;
    try {
      baseline = Baselines.resolveAll(run, compare.baseline());
    } catch (Baselines.NoBaselineException e) {
      System.out.println(
          "[llm-sweep] compare: nothing to compare with: "
              + e.getMessage()
              + " (this run is the baseline of the next)");
      return 0;
    }
    Comparison c =
        Comparer.compare(
            spark,
            run,
            baseline,
            new ComparePointsFunction.Settings(
                compare.threshold(),
                Comparer.CONFIDENCE,
                Comparer.DEFAULT_RESAMPLES,
                Comparer.DEFAULT_SEED));
    ComparisonReport.print(c, System.out);
    return ErrorHandler.of(c);
  }
}
