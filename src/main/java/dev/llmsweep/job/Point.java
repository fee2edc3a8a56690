package dev.llmsweep.job;

import dev.llmsweep.engine.SamplingParams;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One sweep point: everything an executor needs to run it, and nothing heavy. Shipped from the
 * driver to executors (serializable, as is each part). Its id is a stable hash of the parameters
 * (see {@link PointIds}).
 *
 * @param identity which point of which experiment
 * @param model the model it runs, in which dtype, on which kind of device
 * @param shape how many requests per call, how long their prompts and outputs
 * @param sampling how tokens are chosen (the seed of repetition r is {@code seed + r})
 * @param measurement how many calls are measured and warm-ups run, and the point's time limit
 * @param stopping when a request stops before its output budget
 * @param serving which engine runs it; for an endpoint, how it is reached and loaded
 */
public record Point(
    Identity identity,
    ModelChoice model,
    Shape shape,
    SamplingParams sampling,
    Measurement measurement,
    Stopping stopping,
    Serving serving)
    implements Serializable {

  private static final long serialVersionUID = 3L;

  /** Synthetic prompt ids start here, past the usual special ids (pad 0, bos 1, eos 2). */
  static final int FIRST_ORDINARY_ID = 3;

  /**
   * The point of {@code experiment} at {@code ordinal} with these parameters, its id hashed from
   * them.
   */
  public static Point of(
      String experiment,
      int ordinal,
      ModelChoice model,
      Shape shape,
      SamplingParams sampling,
      Measurement measurement,
      Stopping stopping) {
    return of(
        experiment, ordinal, model, shape, sampling, measurement, stopping, Serving.builtin());
  }

  /** The same, run by {@code serving}'s engine. */
  public static Point of(
      String experiment,
      int ordinal,
      ModelChoice model,
      Shape shape,
      SamplingParams sampling,
      Measurement measurement,
      Stopping stopping,
      Serving serving) {
    String id = PointIds.of(experiment, model, shape, sampling, measurement, stopping, serving);
    return new Point(
        new Identity(id, experiment, ordinal),
        model,
        shape,
        sampling,
        measurement,
        stopping,
        serving);
  }

  /** A point of the built-in engine. */
  public Point(
      Identity identity,
      ModelChoice model,
      Shape shape,
      SamplingParams sampling,
      Measurement measurement,
      Stopping stopping) {
    this(identity, model, shape, sampling, measurement, stopping, Serving.builtin());
  }

  /**
   * @param pointId stable hash of every parameter of the point (see {@link PointIds})
   * @param experiment experiment name
   * @param ordinal position in the plan (0-based)
   */
  public record Identity(String pointId, String experiment, int ordinal) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * @param name {@code tiny}, {@code synthetic:<preset>} or a directory, as the job file gives it
   * @param dtype resolved compute dtype ({@code float32}, {@code float16})
   * @param device {@code cpu} or {@code gpu}; the address is chosen on the executor
   */
  public record ModelChoice(String name, String dtype, String device) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * @param batchSize requests per generate call
   * @param maxTokens output budget per request
   * @param promptTokens synthetic prompt length, or the longest literal prompt in tokens
   * @param prompts literal prompts, empty for synthetic ones
   */
  public record Shape(int batchSize, int maxTokens, int promptTokens, List<String> prompts)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code batchSize} synthetic prompts of {@code promptTokens} tokens each. */
    public static Shape synthetic(int batchSize, int maxTokens, int promptTokens) {
      return new Shape(batchSize, maxTokens, promptTokens, List.of());
    }
  }

  /**
   * @param repetitions measured calls
   * @param warmups the least unmeasured calls before them
   * @param ttftProxy run the max_tokens = 1 proxy call after each measured repetition
   * @param timeoutSeconds the point's time limit on the executor (all its calls); 0 for none. Not
   *     part of the id: it does not change what is measured
   * @param steadyState when its warm-ups stop (beyond the least {@code warmups}); not part of the
   *     id
   */
  public record Measurement(
      int repetitions, int warmups, boolean ttftProxy, int timeoutSeconds, SteadyState steadyState)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * @param ignoreEos generate through end-of-sequence
   * @param stops stop strings
   */
  public record Stopping(boolean ignoreEos, List<String> stops) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Every request generates its whole output budget. */
    public static Stopping never() {
      return new Stopping(true, List.of());
    }
  }

  public String pointId() {
    return identity.pointId();
  }

  public boolean syntheticPrompts() {
    return shape.prompts().isEmpty();
  }

  /** Generate calls: the least warm-ups, measured repetitions, and proxies. */
  public int calls() {
    Measurement m = measurement;
    return m.warmups() + m.repetitions() + (m.ttftProxy() ? m.repetitions() : 0);
  }

  /**
   * Requests over all calls; an open-loop point's measured repetitions send their load's requests
   * (the expected number for a duration), its warm-ups one batch each.
   */
  public long requests() {
    if (serving.load().openLoop()) {
      Measurement m = measurement;
      return (long) m.warmups() * shape.batchSize()
          + m.repetitions() * serving.load().expectedRequests();
    }
    return (long) calls() * shape.batchSize();
  }

  /** The most tokens the point can generate (fewer when requests stop early). */
  public long maxGeneratedTokens() {
    Measurement m = measurement;
    if (serving.load().openLoop()) {
      return requests() * shape.maxTokens();
    }
    return (long) shape.batchSize()
        * ((long) (m.warmups() + m.repetitions()) * shape.maxTokens()
            + (m.ttftProxy() ? m.repetitions() : 0));
  }

  /**
   * Request {@code index}'s synthetic prompt: {@code promptTokens} ids drawn from a generator
   * seeded by the point id, so every run and every executor sends the same prompts.
   */
  public int[] syntheticPrompt(int index, int vocabSize) {
    SplittableRandom rng = new SplittableRandom(Long.parseUnsignedLong(pointId(), 16) * 31 + index);
    int[] ids = new int[shape.promptTokens()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(FIRST_ORDINARY_ID, vocabSize);
    }
    return ids;
  }

  /** A short label for progress lines, e.g. {@code batch_sweep[bs=8 mt=128 t=0.7 p=0.9]}. */
  public String label() {
    StringBuilder sb = new StringBuilder(identity.experiment());
    if (serving.load().openLoop()) {
      sb.append("[rate=").append(trim(serving.load().requestRate()));
    } else {
      sb.append("[bs=").append(shape.batchSize());
    }
    sb.append(" mt=").append(shape.maxTokens());
    if (syntheticPrompts()) {
      sb.append(" pt=").append(shape.promptTokens());
    }
    sb.append(" t=")
        .append(trim(sampling.temperature()))
        .append(" p=")
        .append(trim(sampling.topP()));
    if (sampling.topK() > 0) {
      sb.append(" k=").append(sampling.topK());
    }
    if (sampling.seed() != 0) {
      sb.append(" seed=").append(sampling.seed());
    }
    return sb.append(']').toString();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
