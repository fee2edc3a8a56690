package dev.llmsweep.compare;

import java.util.Locale;

/**
 * One row of the {@code comparisons} table, as the driver prints it: one metric of one point
 * matched by experiment and parameters (driver side).
 *
 * @param experiment the experiment
 * @param batchSize axis
 * @param maxTokens axis
 * @param promptTokens longest prompt
 * @param temperature axis
 * @param topP axis
 * @param topK axis
 * @param seed axis
 * @param requestRate the open-loop arrival rate in requests/s; 0 for a closed-loop batch
 * @param metric e.g. {@code ttft_p99}, {@code throughput}
 * @param unit {@code ms} or {@code tokens/s}
 * @param baselineValue the baseline's figure, null when missing there
 * @param runValue the run's figure, null when missing there
 * @param ratio run / baseline
 * @param ciLow lower bound of the bootstrap interval of the ratio
 * @param ciHigh upper bound
 * @param baselineSamples samples pooled on the baseline side
 * @param runSamples samples pooled on the run side
 * @param baselineCalls generate calls behind the baseline's figure (the resampled unit)
 * @param runCalls generate calls behind the run's figure
 * @param fewSamples a p99 over fewer than 100 calls on either side
 * @param pValueHolm the p-value of "no change", Holm-adjusted over the run's figures; null when not
 *     comparable
 * @param verdict a {@link Verdict#label()}
 * @param envFactor the machine's slowdown (or speedup) the figure was judged against, null when the
 *     environment did not enter its verdict
 */
public record ComparisonRow(
    String experiment,
    int batchSize,
    int maxTokens,
    int promptTokens,
    double temperature,
    double topP,
    int topK,
    long seed,
    double requestRate,
    String metric,
    String unit,
    Double baselineValue,
    Double runValue,
    Double ratio,
    Double ciLow,
    Double ciHigh,
    Long baselineSamples,
    Long runSamples,
    Long baselineCalls,
    Long runCalls,
    boolean fewSamples,
    Double pValueHolm,
    String verdict,
    Double envFactor) {

  /** The point's parameters in the progress line's short form; an open-loop point's rate last. */
  public String parameters() {
    return String.format(
            Locale.ROOT,
            "bs=%d mt=%d pt=%d t=%s p=%s k=%d seed=%d",
            batchSize,
            maxTokens,
            promptTokens,
            num(temperature),
            num(topP),
            topK,
            seed)
        + (requestRate > 0 ? " rate=" + num(requestRate) + "/s" : "");
  }

  /** Experiment and parameters: what identifies the point in both runs. */
  public String point() {
    return experiment + "[" + parameters() + "]";
  }

  public boolean slower() {
    return Verdict.SLOWER.label().equals(verdict);
  }

  private static String num(double x) {
    return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
  }
}
