package dev.llmsweep.job;

import java.util.List;
import java.util.Map;

/**
 * One experiment of a job file, validated and with defaults applied (driver side).
 *
 * @param name unique within the job
 * @param model {@code tiny}, {@code synthetic:<preset>} or a model directory
 * @param dtype as written ({@code auto}, {@code float32}, {@code float16}); resolved by the planner
 * @param device {@code cpu} or {@code gpu}
 * @param prompts literal prompts (request i of a batch gets prompt i mod n), or empty when the
 *     {@code prompt_tokens} axis asks for synthetic prompts
 * @param axes each axis's values, in the order written
 * @param zip groups of axes that vary together
 * @param repetitions measured generate calls per point
 * @param warmups unmeasured generate calls before them
 * @param ignoreEos generate all max_tokens even past end-of-sequence
 * @param stops stop strings
 * @param ttftProxy also run the notebook's max_tokens = 1 call per measured repetition
 * @param pointTimeoutS each point's time limit in seconds on the executor; 0 for none
 * @param steadyState when warm-ups stop beyond {@code warmups}, and the model warm-up
 * @param where {@code file:line} of each key as written (for messages), keyed by its path
 * @param serving the engine and, for an endpoint, how it is reached and loaded (without a request
 *     rate: that is an axis)
 */
public record Experiment(
    String name,
    String model,
    String dtype,
    String device,
    List<String> prompts,
    Map<Axis, List<Number>> axes,
    List<List<Axis>> zip,
    int repetitions,
    int warmups,
    boolean ignoreEos,
    List<String> stops,
    boolean ttftProxy,
    int pointTimeoutS,
    SteadyState steadyState,
    Map<String, String> where,
    Serving serving) {

  /** Where a key was written, e.g. {@code jobs/x.conf:12}. */
  public String at(String key) {
    String w = where.get(key);
    return w != null ? w : where.getOrDefault("", "?");
  }
}
