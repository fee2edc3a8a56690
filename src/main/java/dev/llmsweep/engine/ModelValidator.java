package dev.llmsweep.engine;

import dev.llmsweep.errors.ModelFormatException;
import dev.llmsweep.model.ExpectedTensors;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.TinyModel;
import dev.llmsweep.tokenizer.TextTokenizer;
import dev.llmsweep.weights.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks a model before any device time is spent (the driver calls it while planning; no Spark
 * here): {@code config.json} and its fields ({@link LlamaConfig#read}), every safetensors header
 * with its byte ranges and every shard the index names ({@link Checkpoint#open}), and every tensor
 * the config needs with its shape and dtype, the same list the loader loads ({@link
 * ExpectedTensors}); a {@code tokenizer.json}, when present, must load. Reads headers only, not
 * weights. Problems are {@link ModelFormatException}s naming the file and the tensor.
 */
public final class ModelValidator {
  private ModelValidator() {}

  /**
   * Validates a model name ({@code tiny}, {@code synthetic:<preset>} or a directory) and returns
   * its configuration. Synthetic models have no files: only the preset is checked.
   */
  public static LlamaConfig validate(String model) {
    LlamaConfig config = Engines.describe(model);
    if (model.startsWith("synthetic:")) {
      return config;
    }
    boolean tiny = model.equals("tiny");
    Path dir = tiny ? TinyModel.defaultDir() : Path.of(model);
    try {
      Checkpoint checkpoint = Checkpoint.open(dir);
      for (Map.Entry<String, long[]> t : ExpectedTensors.of(config).entrySet()) {
        checkpoint.require(t.getKey(), t.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the checkpoint of " + model + ": " + e.getMessage(), e);
    }
    if (!tiny) {
      checkTokenizer(dir);
    }
    return config;
  }

  private static void checkTokenizer(Path dir) {
    try (TextTokenizer tokenizer = TextTokenizer.openIfPresent(dir)) {
      // opened and closed: it loads
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException(
          dir.resolve("tokenizer.json"),
          "cannot be loaded as a Hugging Face tokenizer: " + e.getMessage());
    }
  }
}
