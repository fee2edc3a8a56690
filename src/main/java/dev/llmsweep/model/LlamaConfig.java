package dev.llmsweep.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.errors.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The fields of a Hugging Face {@code config.json} that a Llama or Mistral decoder needs, with Java
 * names.
 *
 * @param architecture {@code LlamaForCausalLM} or {@code MistralForCausalLM}
 * @param vocabSize rows of the embedding
 * @param hiddenSize model width
 * @param intermediateSize feed-forward width
 * @param layers decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query when fewer than heads, multi-query when 1)
 * @param headDim per-head width; may differ from hiddenSize / heads
 * @param rmsNormEps RMSNorm epsilon
 * @param rope rotary embedding parameters
 * @param maxPositions context length
 * @param slidingWindow Mistral's attention window, 0 when none
 * @param tieWordEmbeddings whether the LM head reuses the embedding matrix
 * @param bosTokenId beginning-of-sequence id, -1 when none
 * @param eosTokenIds end-of-sequence ids
 * @param padTokenId padding id (0 when the config has none)
 */
public record LlamaConfig(
    String architecture,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    double rmsNormEps,
    RopeScaling rope,
    int maxPositions,
    int slidingWindow,
    boolean tieWordEmbeddings,
    int bosTokenId,
    int[] eosTokenIds,
    int padTokenId) {

  public static final Set<String> SUPPORTED = Set.of("LlamaForCausalLM", "MistralForCausalLM");
  private static final ObjectMapper JSON = new ObjectMapper();

  public LlamaConfig {
    if (heads % kvHeads != 0) {
      throw new BadInputException(
          "num_attention_heads ("
              + heads
              + ") must be a multiple of num_key_value_heads ("
              + kvHeads
              + ")");
    }
  }

  /** Query heads that share one key/value head. */
  public int groupSize() {
    return heads / kvHeads;
  }

  /** Parameters, computed from the shapes (the LM head counted once when tied). */
  public long parameterCount() {
    long h = hiddenSize;
    long attention = h * heads * headDim + 2L * h * kvHeads * headDim + (long) heads * headDim * h;
    long mlp = 3L * h * intermediateSize;
    long perLayer = attention + mlp + 2 * h;
    long embed = (long) vocabSize * h;
    return layers * perLayer + h + embed + (tieWordEmbeddings ? 0 : embed);
  }

  /** Parameters read from memory at each decode step: everything but the embedding table. */
  public long decodeParameterCount() {
    long embed = (long) vocabSize * hiddenSize;
    return parameterCount() - (tieWordEmbeddings ? 0 : embed);
  }

  /** Reads {@code config.json}, merging EOS ids from {@code generation_config.json} if present. */
  public static LlamaConfig read(Path dir) throws IOException {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException(
          file, "config.json is missing: a Hugging Face model directory needs it");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelFormatException(file, "is not valid JSON: " + e.getMessage());
    }
    JsonNode generation = null;
    Path genFile = dir.resolve("generation_config.json");
    if (Files.isRegularFile(genFile)) {
      try {
        generation = JSON.readTree(genFile.toFile());
      } catch (IOException e) {
        throw new ModelFormatException(genFile, "is not valid JSON: " + e.getMessage());
      }
    }
    return fromJson(root, generation, file);
  }

  static LlamaConfig fromJson(JsonNode root, JsonNode generation, Path file) {
    ConfigFields f = new ConfigFields(root, file);
    String arch = f.architecture();
    int hidden = f.requiredInt("hidden_size");
    int heads = f.requiredInt("num_attention_heads");
    int kvHeads = f.optionalInt("num_key_value_heads", heads);
    int headDim = f.optionalInt("head_dim", 0);
    if (headDim == 0) {
      if (hidden % heads != 0) {
        throw new ModelFormatException(
            file,
            "hidden_size "
                + hidden
                + " is not a multiple of num_attention_heads "
                + heads
                + " and no head_dim is given");
      }
      headDim = hidden / heads;
    }
    if (headDim % 2 != 0) {
      throw new ModelFormatException(
          file, "head_dim must be even for rotary embeddings, got " + headDim);
    }
    if (heads % kvHeads != 0) {
      throw new ModelFormatException(
          file,
          "num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    int[] eos = f.eosIds(generation);
    String act = root.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new ModelFormatException(
          file, "hidden_act '" + act + "' is not supported: Llama and Mistral use silu");
    }
    return new LlamaConfig(
        arch,
        f.requiredInt("vocab_size"),
        hidden,
        f.requiredInt("intermediate_size"),
        f.requiredInt("num_hidden_layers"),
        heads,
        kvHeads,
        headDim,
        f.optionalDouble("rms_norm_eps", 1e-6),
        f.rope(),
        f.optionalInt("max_position_embeddings", 2048),
        f.slidingWindow(),
        root.path("tie_word_embeddings").asBoolean(false),
        f.optionalInt("bos_token_id", -1),
        eos,
        f.optionalInt("pad_token_id", 0));
  }

  /** A copy with a different context length (synthetic presets cap it to what a sweep needs). */
  public LlamaConfig withMaxPositions(int positions) {
    return new LlamaConfig(
        architecture,
        vocabSize,
        hiddenSize,
        intermediateSize,
        layers,
        heads,
        kvHeads,
        headDim,
        rmsNormEps,
        rope,
        positions,
        slidingWindow,
        tieWordEmbeddings,
        bosTokenId,
        eosTokenIds,
        padTokenId);
  }
}
