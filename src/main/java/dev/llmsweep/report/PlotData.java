package dev.llmsweep.report;

import java.util.List;

/**
 * The figures each plot draws, as plain records (driver side; read from the views by {@link
 * ReportQueries}, or made by hand in tests). Latencies carry their unit in the name.
 */
public final class PlotData {
  private PlotData() {}

  /**
   * One batch size of a batch-size curve (a row of {@code batch_sweep}, latencies in ms).
   *
   * @param proxyTtftP50Ms the notebook's proxy TTFT (a separate max_tokens=1 call), null when not
   *     measured
   * @param throughput output tokens per second
   * @param p50Ci the 95% interval of the p50 batch latency (clustered by call)
   * @param p99Ci likewise of the p99
   */
  public record BatchPoint(
      int batchSize,
      double ttftP50Ms,
      double ttftP99Ms,
      Double proxyTtftP50Ms,
      double latencyP50Ms,
      double latencyP99Ms,
      double throughput,
      Interval p50Ci,
      Interval p99Ci) {}

  /** A 95% interval in ms; a null bound is unbounded (too few calls for it). */
  public record Interval(Double lowMs, Double highMs) {
    public static final Interval NONE = new Interval(null, null);
  }

  /**
   * A batch-size curve: one experiment and one setting of the other axes.
   *
   * @param label the curve, e.g. {@code batch_sweep (max_tokens=32, temperature=0.7, top_p=0.9)}
   * @param points its batch sizes, ascending
   * @param notebookSweetSpot the batch size the notebook's rule picks, null when the curve has
   *     fewer than 3 points
   * @param kneedleSweetSpot the batch size Kneedle picks (recommended), null likewise
   * @param kneedleRange the batch sizes the 95% intervals cannot tell from Kneedle's pick (the pick
   *     among them); empty or one element when the pick stands alone
   */
  public record BatchCurve(
      String label,
      List<BatchPoint> points,
      Integer notebookSweetSpot,
      Integer kneedleSweetSpot,
      List<Integer> kneedleRange) {

    /** A curve without a range (the pick alone). */
    public BatchCurve(
        String label,
        List<BatchPoint> points,
        Integer notebookSweetSpot,
        Integer kneedleSweetSpot) {
      this(label, points, notebookSweetSpot, kneedleSweetSpot, List.of());
    }
  }

  /**
   * One point of a length sweep: x is generated tokens (mean) or prompt tokens; p50 and p99 batch
   * latency in ms.
   */
  public record LengthPoint(double x, double latencyP50Ms, double latencyP99Ms) {}

  /**
   * A length sweep of one experiment.
   *
   * @param xLabel the x axis, with its unit
   */
  public record LengthCurve(String label, String xLabel, List<LengthPoint> points) {}

  /** One setting of a sampling sweep, e.g. {@code T=0.7 top_p=0.9}. */
  public record SamplingPoint(String setting, double latencyP50Ms, double latencyP99Ms) {}

  /** A sampling sweep of one experiment. */
  public record SamplingCurve(String label, List<SamplingPoint> points) {}

  /**
   * The ITL distribution of one batch size: {@code itlMs[i]} is the quantile at {@code
   * fraction[i]}.
   */
  public record ItlCdf(int batchSize, double[] itlMs, double[] fraction) {}
}
