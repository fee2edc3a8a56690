package dev.llmsweep.engine;

import dev.llmsweep.errors.ModelFormatException;
import dev.llmsweep.model.Decoder;
import dev.llmsweep.model.FusedWeights;
import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.ModelLoader;
import dev.llmsweep.model.Presets;
import dev.llmsweep.model.TinyModel;
import dev.llmsweep.model.cpu.LlamaModel;
import dev.llmsweep.model.torchscript.ScriptDecoder;
import dev.llmsweep.tokenizer.TextTokenizer;
import dev.llmsweep.weights.Checkpoint;
import dev.llmsweep.weights.CheckpointWeights;
import dev.llmsweep.weights.RandomWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads models by the names users write: {@code tiny}, {@code synthetic:<preset>}, or a Hugging
 * Face directory; and picks the backend: the CPU kernels for float32 on CPU (unless switched off
 * with {@code -Dllmsweep.hostKernel=false}), one TorchScript call per step everywhere else.
 */
public final class Engines {
  /** Rotary tables are precomputed up to this many positions; longer contexts are capped. */
  public static final int MAX_CONTEXT = 32768;

  private Engines() {}

  /** The configuration a model name refers to, without loading weights (for planning). */
  public static LlamaConfig describe(String model) {
    try {
      if (model.equals("tiny")) {
        return LlamaConfig.read(TinyModel.materialize(TinyModel.defaultDir()));
      }
      if (model.startsWith("synthetic:")) {
        return Presets.get(model.substring("synthetic:".length()));
      }
      Path dir = Path.of(model);
      if (!Files.isDirectory(dir)) {
        throw new ModelFormatException(
            dir,
            "is not a directory: a model is tiny, synthetic:<preset>"
                + " ("
                + String.join(", ", Presets.names())
                + ") or a Hugging Face model directory");
      }
      return LlamaConfig.read(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + model + ": " + e.getMessage(), e);
    }
  }

  /** Loads a model onto a device; the caller closes the generator. */
  public static LlamaGenerator load(String model, ComputeDevice device) {
    Offline.apply();
    LlamaConfig config = describe(model);
    try {
      FusedWeights weights;
      TextTokenizer tokenizer = null;
      config = config.withMaxPositions(Math.min(config.maxPositions(), MAX_CONTEXT));
      if (model.startsWith("synthetic:")) {
        weights =
            ModelLoader.load(
                config,
                new RandomWeights(config.tieWordEmbeddings()),
                device.djlDevice(),
                device.djlType());
      } else {
        Path dir = model.equals("tiny") ? TinyModel.defaultDir() : Path.of(model);
        Checkpoint checkpoint = Checkpoint.open(dir);
        weights =
            ModelLoader.load(
                config, new CheckpointWeights(checkpoint), device.djlDevice(), device.djlType());
        tokenizer = TextTokenizer.openIfPresent(dir);
      }
      Decoder loaded =
          LlamaModel.serves(device.djlDevice(), device.djlType())
              ? LlamaModel.of(weights)
              : ScriptDecoder.of(weights);
      ModelInfo info =
          new ModelInfo(
              model,
              config.architecture(),
              config.parameterCount(),
              loaded.weightBytes(),
              config.maxPositions(),
              config.vocabSize(),
              device.name(),
              device.dtype());
      return new LlamaGenerator(loaded, tokenizer, info);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load model " + model + ": " + e.getMessage(), e);
    }
  }
}
