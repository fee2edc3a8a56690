package dev.llmsweep.compare;

import java.util.Locale;

/**
 * One row of the {@code comparisons} table, as the driver prints it: one metric of one point
 * matched by experiment and parameters (driver side), in four named parts.
 *
 * @param setting what identifies the point in both runs
 * @param figures the metric's figure on each side and what it rests on
 * @param test the ratio, its interval, its p-value and the verdict
 * @param environment what the machine's probes said about the figure
 */
public record ComparisonRow(Setting setting, Figures figures, Test test, Environment environment) {

  /**
   * The point's experiment and parameters.
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
   */
  public record Setting(
      String experiment,
      int batchSize,
      int maxTokens,
      int promptTokens,
      double temperature,
      double topP,
      int topK,
      long seed,
      double requestRate) {

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
  }

  /**
   * One metric's figure on each side.
   *
   * @param metric e.g. {@code ttft_p99}, {@code throughput}
   * @param unit {@code ms} or {@code tokens/s}
   * @param baselineValue the baseline's figure, null when missing there
   * @param runValue the run's figure, null when missing there
   * @param baselineSamples samples pooled on the baseline side
   * @param runSamples samples pooled on the run side
   * @param baselineCalls generate calls behind the baseline's figure (the resampled unit)
   * @param runCalls generate calls behind the run's figure
   * @param fewSamples a p99 over fewer than 100 calls on either side
   */
  public record Figures(
      String metric,
      String unit,
      Double baselineValue,
      Double runValue,
      Long baselineSamples,
      Long runSamples,
      Long baselineCalls,
      Long runCalls,
      boolean fewSamples) {}

  /**
   * The test of "no change".
   *
   * @param ratio run / baseline
   * @param ciLow lower bound of the bootstrap interval of the ratio
   * @param ciHigh upper bound
   * @param pValueHolm the p-value of "no change", Holm-adjusted over the run's figures; null when
   *     not comparable
   * @param verdict a {@link Verdict#label()}
   */
  public record Test(
      Double ratio, Double ciLow, Double ciHigh, Double pValueHolm, String verdict) {}

  /**
   * The machine's part in the verdict.
   *
   * @param factor the machine's slowdown (or speedup) the figure was judged against, null when the
   *     environment did not enter its verdict
   */
  public record Environment(Double factor) {}

  /** Experiment and parameters: what identifies the point in both runs. */
  public String point() {
    return setting.experiment() + "[" + setting.parameters() + "]";
  }

  /** The verdict's label. */
  public String verdict() {
    return test.verdict();
  }

  public boolean slower() {
    return Verdict.SLOWER.label().equals(test.verdict());
  }

  private static String num(double x) {
    return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
  }
}
