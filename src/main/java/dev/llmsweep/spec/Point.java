package dev.llmsweep.spec;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One sweep point: everything an executor needs to run it, and nothing heavy. Shipped from the
 * driver to executors (serializable). Its id is a stable hash of the parameters.
 *
 * @param pointId stable hash of every parameter below (see {@link PointIds})
 * @param experiment experiment name
 * @param ordinal position in the plan (0-based)
 * @param model {@code tiny}, {@code synthetic:<preset>} or a directory
 * @param dtype resolved compute dtype ({@code float32}, {@code float16})
 * @param device {@code cpu} or {@code gpu}; the address is chosen on the executor
 * @param batchSize requests per generate call
 * @param maxTokens output budget per request
 * @param promptTokens synthetic prompt length, or the longest literal prompt in tokens
 * @param prompts literal prompts, empty for synthetic ones
 * @param temperature 0 is greedy
 * @param topP nucleus mass, 1 is off
 * @param topK 0 is off
 * @param seed sampling seed
 * @param repetitions measured calls
 * @param warmups unmeasured calls before them
 * @param ignoreEos generate through end-of-sequence
 * @param stops stop strings
 * @param ttftProxy run the max_tokens = 1 proxy call after each measured repetition
 * @param timeoutSeconds the point's time limit on the executor (all its calls); 0 for none. Not
 *     part of the id: it does not change what is measured
 * @param steadyState when its warm-ups stop (beyond the least {@code warmups}); not part of the id
 */
public record Point(
    String pointId,
    String experiment,
    int ordinal,
    String model,
    String dtype,
    String device,
    int batchSize,
    int maxTokens,
    int promptTokens,
    List<String> prompts,
    double temperature,
    double topP,
    int topK,
    long seed,
    int repetitions,
    int warmups,
    boolean ignoreEos,
    List<String> stops,
    boolean ttftProxy,
    int timeoutSeconds,
    SteadyState steadyState) implements Serializable {

  private static final long serialVersionUID = 1L;
  /** Synthetic prompt ids start here, past the usual special ids (pad 0, bos 1, eos 2). */
  static final int FIRST_ORDINARY_ID = 3;

  public boolean syntheticPrompts() {
    return prompts.isEmpty();
  }

  /** Generate calls: the least warm-ups, measured repetitions, and proxies. */
  public int calls() {
    return warmups + repetitions + (ttftProxy ? repetitions : 0);
  }

  /** Requests over all calls. */
  public long requests() {
    return (long) calls() * batchSize;
  }

  /** The most tokens the point can generate (fewer when requests stop early). */
  public long maxGeneratedTokens() {
    return (long) batchSize * ((long) (warmups + repetitions) * maxTokens + (ttftProxy ? repetitions : 0));
  }

  /**
   * Request {@code index}'s synthetic prompt: {@code promptTokens} ids drawn from a generator
   * seeded by the point id, so every run and every executor sends the same prompts.
   */
  public int[] syntheticPrompt(int index, int vocabSize) {
    SplittableRandom rng = new SplittableRandom(Long.parseUnsignedLong(pointId, 16) * 31 + index);
    int[] ids = new int[promptTokens];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(FIRST_ORDINARY_ID, vocabSize);
    }
    return ids;
  }

  /** A short label for progress lines, e.g. {@code batch_sweep[bs=8 mt=128 t=0.7 p=0.9]}. */
  public String label() {
    StringBuilder sb = new StringBuilder(experiment).append("[bs=").append(batchSize).append(" mt=").append(maxTokens);
    if (syntheticPrompts()) {
      sb.append(" pt=").append(promptTokens);
    }
    sb.append(" t=").append(trim(temperature)).append(" p=").append(trim(topP));
    if (topK > 0) {
      sb.append(" k=").append(topK);
    }
    if (seed != 0) {
      sb.append(" seed=").append(seed);
    }
    return sb.append(']').toString();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
