package dev.llmsweep.job;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.ModelValidator;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.TinyModel;
import dev.llmsweep.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Job} into a {@link Plan} (driver side): resolves dtypes, validates each model
 * without loading weights ({@link ModelValidator}: config, every tensor's shape and dtype, shards),
 * counts literal prompts in tokens with the model's tokenizer, and checks that every prompt plus
 * max_tokens fits the model's context.
 */
public final class Planner {
  private final Map<String, LlamaConfig> configs = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  private Planner() {}

  /** Reads, validates and expands a job file. */
  public static Plan plan(Path jobFile) {
    return plan(JobReader.read(jobFile));
  }

  public static Plan plan(Job job) {
    return new Planner().expand(job);
  }

  private Plan expand(Job job) {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < job.experiments().size(); i++) {
      Experiment x = job.experiments().get(i);
      String key = "experiments[" + i + "] (" + x.name() + ")";
      points.addAll(expand(x, key, points.size()));
    }
    if (!problems.isEmpty()) {
      throw new JobFileException(problems);
    }
    return new Plan(job, List.copyOf(points));
  }

  private List<Point> expand(Experiment x, String key, int firstOrdinal) {
    if (x.serving().isEndpoint()) {
      return endpointPoints(x, firstOrdinal);
    }
    String dtype;
    try {
      dtype = ComputeDevice.parse(x.device().equals("gpu") ? "gpu:0" : "cpu", x.dtype()).dtype();
    } catch (BadInputException e) {
      problems.add(x.at("dtype") + ": " + key + ".dtype " + e.getMessage());
      return List.of();
    }
    LlamaConfig config = describe(x, key);
    if (config == null) {
      return List.of();
    }
    int context = Math.min(config.maxPositions(), Engines.MAX_CONTEXT);
    int literalTokens = literalPromptTokens(x, key);
    if (literalTokens < 0) {
      return List.of();
    }
    List<Point> out = new ArrayList<>();
    boolean contextReported = false;
    for (Map<Axis, Number> c : Grid.expand(x.axes(), x.zip())) {
      int batch = c.get(Axis.BATCH_SIZE).intValue();
      int maxTokens = c.get(Axis.MAX_TOKENS).intValue();
      int promptTokens =
          x.prompts().isEmpty() ? c.get(Axis.PROMPT_TOKENS).intValue() : literalTokens;
      if ((long) promptTokens + maxTokens > context && !contextReported) {
        contextReported = true;
        problems.add(
            x.at("axes.max_tokens")
                + ": "
                + key
                + ": prompt of "
                + promptTokens
                + " tokens + max_tokens "
                + maxTokens
                + " = "
                + (promptTokens + maxTokens)
                + " exceeds the context of "
                + x.model()
                + " ("
                + context
                + " tokens); accepted: prompt tokens + max_tokens <= "
                + context);
        continue;
      }
      SamplingParams sampling =
          new SamplingParams(
              c.get(Axis.TEMPERATURE).doubleValue(),
              c.get(Axis.TOP_P).doubleValue(),
              c.get(Axis.TOP_K).intValue(),
              c.get(Axis.SEED).longValue());
      out.add(
          Point.of(
              x.name(),
              firstOrdinal + out.size(),
              new Point.ModelChoice(x.model(), dtype, x.device()),
              new Point.Shape(batch, maxTokens, promptTokens, x.prompts()),
              sampling,
              new Point.Measurement(
                  x.repetitions(), x.warmups(), x.ttftProxy(), x.pointTimeoutS(), x.steadyState()),
              new Point.Stopping(x.ignoreEos(), x.stops())));
    }
    return out;
  }

  /**
   * The points of an endpoint experiment: nothing to check locally (the server holds the model and
   * its tokenizer), so literal prompts count 0 tokens here and the server's usage counts them.
   */
  private List<Point> endpointPoints(Experiment x, int firstOrdinal) {
    List<Point> out = new ArrayList<>();
    for (Map<Axis, Number> c : Grid.expand(x.axes(), x.zip())) {
      int promptTokens = x.prompts().isEmpty() ? c.get(Axis.PROMPT_TOKENS).intValue() : 0;
      Number rate = c.get(Axis.REQUEST_RATE);
      SamplingParams sampling =
          new SamplingParams(
              c.get(Axis.TEMPERATURE).doubleValue(),
              c.get(Axis.TOP_P).doubleValue(),
              c.get(Axis.TOP_K).intValue(),
              c.get(Axis.SEED).longValue());
      out.add(
          Point.of(
              x.name(),
              firstOrdinal + out.size(),
              new Point.ModelChoice(x.model(), "server", x.device()),
              new Point.Shape(
                  c.get(Axis.BATCH_SIZE).intValue(),
                  c.get(Axis.MAX_TOKENS).intValue(),
                  promptTokens,
                  x.prompts()),
              sampling,
              new Point.Measurement(
                  x.repetitions(), x.warmups(), x.ttftProxy(), x.pointTimeoutS(), x.steadyState()),
              new Point.Stopping(x.ignoreEos(), x.stops()),
              x.serving().withRequestRate(rate == null ? 0 : rate.doubleValue())));
    }
    return out;
  }

  private LlamaConfig describe(Experiment x, String key) {
    LlamaConfig cached = configs.get(x.model());
    if (cached != null) {
      return cached;
    }
    try {
      // the whole model, before any device time: config fields, every tensor's shape and dtype,
      // shards
      LlamaConfig c = ModelValidator.validate(x.model());
      configs.put(x.model(), c);
      return c;
    } catch (BadInputException | UncheckedIOException e) {
      problems.add(x.at("model") + ": " + key + ".model '" + x.model() + "': " + e.getMessage());
      return null;
    }
  }

  /** The longest literal prompt in tokens; 0 for synthetic prompts; -1 after a problem. */
  private int literalPromptTokens(Experiment x, String key) {
    if (x.prompts().isEmpty() && x.stops().isEmpty()) {
      return 0;
    }
    String needs = x.prompts().isEmpty() ? "stop strings" : "literal prompts";
    Path dir =
        x.model().equals("tiny")
            ? TinyModel.defaultDir()
            : x.model().startsWith("synthetic:") ? null : Path.of(x.model());
    if (dir == null) {
      problems.add(
          x.at(x.prompts().isEmpty() ? "stop" : "prompts")
              + ": "
              + key
              + ": "
              + needs
              + " need a tokenizer,"
              + " and "
              + x.model()
              + " has random weights and none; use synthetic prompts (axes.prompt_tokens = N)"
              + " and no stop strings, or a model directory with tokenizer.json");
      return -1;
    }
    try (TextTokenizer tokenizer = TextTokenizer.openIfPresent(dir)) {
      if (tokenizer == null) {
        problems.add(
            x.at("prompts")
                + ": "
                + key
                + ": "
                + needs
                + " need "
                + dir.resolve("tokenizer.json")
                + ", which does not exist; use synthetic prompts (axes.prompt_tokens = N) or add the tokenizer");
        return -1;
      }
      return x.prompts().stream().mapToInt(p -> tokenizer.encode(p).length).max().orElse(0);
    } catch (IOException e) {
      problems.add(
          x.at("prompts")
              + ": "
              + key
              + ": cannot read the tokenizer of "
              + x.model()
              + ": "
              + e.getMessage());
      return -1;
    }
  }
}
