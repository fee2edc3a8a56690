package dev.llmsweep.analysis;

import org.apache.spark.sql.Row;

/**
 * One configuration (sweep point) picked by a rule, with the figures the rule used.
 *
 * @param experiment experiment name
 * @param pointId the point
 * @param batchSize requests per batch
 * @param maxTokens output tokens asked for
 * @param promptTokens prompt tokens (the longest prompt)
 * @param temperature sampling temperature
 * @param topP nucleus sampling threshold
 * @param topK top-k (0 is off)
 * @param latencyS the batch latency quantile the rule looked at, in seconds
 * @param throughput output tokens per second
 * @param latencySamples measured batches behind the latency
 * @param fewSamples the latency is a p99 over fewer than 100 batches (about the slowest one)
 */
public record Choice(
    String experiment,
    String pointId,
    int batchSize,
    int maxTokens,
    int promptTokens,
    double temperature,
    double topP,
    int topK,
    double latencyS,
    double throughput,
    long latencySamples,
    boolean fewSamples) {

  static Choice of(Row r, String latencyColumn, String fewColumn) {
    return new Choice(
        r.getAs("experiment"),
        r.getAs("point_id"),
        r.<Integer>getAs("batch_size"),
        r.<Integer>getAs("max_tokens"),
        r.<Integer>getAs("prompt_tokens"),
        r.<Double>getAs("temperature"),
        r.<Double>getAs("top_p"),
        r.<Integer>getAs("top_k"),
        r.<Double>getAs(latencyColumn),
        r.<Double>getAs("throughput_tokens_per_s"),
        ((Number) r.getAs("latency_samples")).longValue(),
        fewColumn != null && Boolean.TRUE.equals(r.getAs(fewColumn)));
  }

  /** The configuration as the notebook names it. */
  public String describe() {
    return String.format(
        "batch_size=%d (experiment %s, max_tokens=%d, prompt_tokens=%d, temperature=%s, top_p=%s%s)",
        batchSize,
        experiment,
        maxTokens,
        promptTokens,
        temperature,
        topP,
        topK > 0 ? ", top_k=" + topK : "");
  }
}
