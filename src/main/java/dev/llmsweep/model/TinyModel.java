package dev.llmsweep.model;

import dev.llmsweep.tokenizer.ByteLevelTokenizer;
import dev.llmsweep.weights.SafetensorsWriter;
import dev.llmsweep.weights.WeightNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The built-in {@code tiny} model: a 2-layer Llama with seeded random weights and a byte-level
 * tokenizer, written by code as an ordinary Hugging Face directory so it loads through the same
 * path as any checkpoint. The same seed always gives the same files.
 */
public final class TinyModel {
  public static final long SEED = 20260127L;
  static final int HIDDEN = 64;
  static final int INTERMEDIATE = 176;
  static final int LAYERS = 2;
  static final int HEADS = 4;
  static final int KV_HEADS = 2;
  static final int HEAD_DIM = 16;
  static final int CONTEXT = 4096;

  private TinyModel() {}

  /**
   * Writes the tiny model into {@code dir} unless it is already there. The files are written into a
   * sibling temporary directory and renamed into place, so processes racing to create it (two
   * executor JVMs on one host) never see a half-written model.
   */
  public static Path materialize(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("model.safetensors"))
        && Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
    try {
      ByteLevelTokenizer.write(tmp.resolve("tokenizer.json"));
      Files.writeString(tmp.resolve("config.json"), configJson());
      Files.writeString(
          tmp.resolve("generation_config.json"),
          "{\"bos_token_id\": 1, \"eos_token_id\": 2, \"pad_token_id\": 0}\n");
      weights().write(tmp.resolve("model.safetensors"));
      try {
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException e) {
        // another process finished first: its copy is identical (same seed)
      }
    } finally {
      if (Files.exists(tmp)) {
        try (var files = Files.list(tmp)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(tmp);
      }
    }
    return dir;
  }

  /** Where the tiny model lives by default: a per-user cache directory keyed by its seed. */
  public static Path defaultDir() {
    String base = System.getProperty("java.io.tmpdir");
    return Path.of(base, "llm-sweep-tiny-" + SEED + "-v1");
  }

  static String configJson() {
    return "{\n"
        + "  \"architectures\": [\"LlamaForCausalLM\"],\n"
        + "  \"model_type\": \"llama\",\n"
        + "  \"vocab_size\": "
        + ByteLevelTokenizer.VOCAB
        + ",\n"
        + "  \"hidden_size\": "
        + HIDDEN
        + ",\n"
        + "  \"intermediate_size\": "
        + INTERMEDIATE
        + ",\n"
        + "  \"num_hidden_layers\": "
        + LAYERS
        + ",\n"
        + "  \"num_attention_heads\": "
        + HEADS
        + ",\n"
        + "  \"num_key_value_heads\": "
        + KV_HEADS
        + ",\n"
        + "  \"head_dim\": "
        + HEAD_DIM
        + ",\n"
        + "  \"hidden_act\": \"silu\",\n"
        + "  \"max_position_embeddings\": "
        + CONTEXT
        + ",\n"
        + "  \"rms_norm_eps\": 1e-06,\n"
        + "  \"rope_theta\": 10000.0,\n"
        + "  \"tie_word_embeddings\": false,\n"
        + "  \"bos_token_id\": 1,\n"
        + "  \"eos_token_id\": 2,\n"
        + "  \"pad_token_id\": 0\n"
        + "}\n";
  }

  static SafetensorsWriter weights() {
    SplittableRandom rng = new SplittableRandom(SEED);
    long h = HIDDEN;
    long v = ByteLevelTokenizer.VOCAB;
    long q = HEADS * HEAD_DIM;
    long kv = KV_HEADS * HEAD_DIM;
    SafetensorsWriter w = new SafetensorsWriter();
    // larger than a fresh init so the tiny model's outputs are not near-uniform
    w.add(WeightNames.EMBED, new long[] {v, h}, normal(rng, v * h, 1.0));
    for (int i = 0; i < LAYERS; i++) {
      double s = 1 / Math.sqrt(h);
      w.add(WeightNames.q(i), new long[] {q, h}, normal(rng, q * h, s));
      w.add(WeightNames.k(i), new long[] {kv, h}, normal(rng, kv * h, s));
      w.add(WeightNames.v(i), new long[] {kv, h}, normal(rng, kv * h, s));
      w.add(WeightNames.o(i), new long[] {h, q}, normal(rng, h * q, 1 / Math.sqrt(q)));
      w.add(WeightNames.gate(i), new long[] {INTERMEDIATE, h}, normal(rng, INTERMEDIATE * h, s));
      w.add(WeightNames.up(i), new long[] {INTERMEDIATE, h}, normal(rng, INTERMEDIATE * h, s));
      w.add(
          WeightNames.down(i),
          new long[] {h, INTERMEDIATE},
          normal(rng, h * INTERMEDIATE, 1 / Math.sqrt(INTERMEDIATE)));
      w.add(WeightNames.inputNorm(i), new long[] {h}, ones(h));
      w.add(WeightNames.postNorm(i), new long[] {h}, ones(h));
    }
    w.add(WeightNames.FINAL_NORM, new long[] {h}, ones(h));
    w.add(WeightNames.LM_HEAD, new long[] {v, h}, normal(rng, v * h, 2 / Math.sqrt(h)));
    return w;
  }

  private static float[] normal(SplittableRandom rng, long n, double std) {
    float[] out = new float[Math.toIntExact(n)];
    for (int i = 0; i < out.length; i++) {
      // Box-Muller from the seeded generator: reproducible on every JVM
      double u1 = 1 - rng.nextDouble();
      double u2 = rng.nextDouble();
      out[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    return out;
  }

  private static float[] ones(long n) {
    float[] out = new float[Math.toIntExact(n)];
    java.util.Arrays.fill(out, 1f);
    return out;
  }
}
