package dev.llmsweep.report;

import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.report.PlotData.BatchCurve;
import dev.llmsweep.report.PlotData.ItlCdf;
import dev.llmsweep.report.PlotData.LengthCurve;
import dev.llmsweep.report.PlotData.SamplingCurve;
import java.util.List;
import java.util.Map;

/**
 * Everything the report of one run shows, read from the views (driver side). Lists of experiments
 * the run does not contain are empty, and the report leaves them out.
 *
 * @param runId the run
 * @param budgetS the latency budget of the recommendations, in seconds
 * @param setup model, devices, versions, Spark, executors, point counts
 * @param tables the notebook's tables that have rows (batch_sweep, seqlen_sweep, sampling_sweep)
 * @param batchCurves batch-size curves
 * @param itl the ITL distribution of each batch-size curve, by the curve's label
 * @param lengthCurves output (or prompt) length sweeps
 * @param samplingCurves sampling sweeps
 * @param budget the best configuration within the budget by p50 and by p99
 * @param sweetSpots the sweet spots of the batch-size curves, both rules
 * @param warnings what a reader must know before trusting a figure
 * @param definitions metric definitions, quantile and interval methods
 * @param loadCurves the open-loop curves (latency and goodput by request rate), one per experiment
 * @param intervals where the recommendations' intervals come from (the run's own, or widened by the
 *     job's earlier runs: {@code RunSpread.describe}); empty when not known
 */
public record Report(
    String runId,
    double budgetS,
    RunSetup setup,
    List<Table> tables,
    List<BatchCurve> batchCurves,
    Map<String, List<ItlCdf>> itl,
    List<LengthCurve> lengthCurves,
    List<SamplingCurve> samplingCurves,
    List<Recommendation> budget,
    List<SweetSpot> sweetSpots,
    List<String> warnings,
    List<String> definitions,
    List<LoadPlots.LoadCurve> loadCurves,
    String intervals) {

  /** A report without the intervals' provenance line. */
  public Report(
      String runId,
      double budgetS,
      RunSetup setup,
      List<Table> tables,
      List<BatchCurve> batchCurves,
      Map<String, List<ItlCdf>> itl,
      List<LengthCurve> lengthCurves,
      List<SamplingCurve> samplingCurves,
      List<Recommendation> budget,
      List<SweetSpot> sweetSpots,
      List<String> warnings,
      List<String> definitions,
      List<LoadPlots.LoadCurve> loadCurves) {
    this(
        runId,
        budgetS,
        setup,
        tables,
        batchCurves,
        itl,
        lengthCurves,
        samplingCurves,
        budget,
        sweetSpots,
        warnings,
        definitions,
        loadCurves,
        "");
  }

  /** A report of a run without open-loop points. */
  public Report(
      String runId,
      double budgetS,
      RunSetup setup,
      List<Table> tables,
      List<BatchCurve> batchCurves,
      Map<String, List<ItlCdf>> itl,
      List<LengthCurve> lengthCurves,
      List<SamplingCurve> samplingCurves,
      List<Recommendation> budget,
      List<SweetSpot> sweetSpots,
      List<String> warnings,
      List<String> definitions) {
    this(
        runId,
        budgetS,
        setup,
        tables,
        batchCurves,
        itl,
        lengthCurves,
        samplingCurves,
        budget,
        sweetSpots,
        warnings,
        definitions,
        List.of());
  }
}
