package dev.llmsweep.model;

import dev.llmsweep.errors.BadInputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configurations of real architectures for {@code synthetic:<preset>} models (random weights). The
 * shapes are those of the published checkpoints' config.json files.
 */
public final class Presets {
  private static final Map<String, LlamaConfig> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put(
        "mistral-7b-v0.3",
        new LlamaConfig(
            "MistralForCausalLM",
            32768,
            4096,
            14336,
            32,
            32,
            8,
            128,
            1e-5,
            RopeScaling.plain(1_000_000.0),
            32768,
            0,
            false,
            1,
            new int[] {2},
            0));
    PRESETS.put(
        "llama-3.1-8b",
        new LlamaConfig(
            "LlamaForCausalLM",
            128256,
            4096,
            14336,
            32,
            32,
            8,
            128,
            1e-5,
            new RopeScaling("llama3", 500_000.0, 8.0, 1.0, 4.0, 8192),
            131072,
            0,
            false,
            128000,
            new int[] {128001, 128008, 128009},
            128004));
    PRESETS.put(
        "tinyllama-1.1b",
        new LlamaConfig(
            "LlamaForCausalLM",
            32000,
            2048,
            5632,
            22,
            32,
            4,
            64,
            1e-5,
            RopeScaling.plain(10_000.0),
            2048,
            0,
            false,
            1,
            new int[] {2},
            0));
    PRESETS.put(
        "bench-110m",
        new LlamaConfig(
            "LlamaForCausalLM",
            32000,
            768,
            2048,
            12,
            12,
            12,
            64,
            1e-5,
            RopeScaling.plain(10_000.0),
            2048,
            0,
            true,
            1,
            new int[] {2},
            0));
    // the quickstart's model: big enough that a decode step takes milliseconds on a laptop CPU
    // (22 MB of float32 weights read per step), small enough for a one-minute sweep (issue 28)
    PRESETS.put(
        "small-6m",
        new LlamaConfig(
            "LlamaForCausalLM",
            8192,
            256,
            768,
            4,
            4,
            4,
            64,
            1e-5,
            RopeScaling.plain(10_000.0),
            2048,
            0,
            true,
            1,
            new int[] {2},
            0));
  }

  private Presets() {}

  /** The preset's config, or an error listing the accepted names. */
  public static LlamaConfig get(String name) {
    LlamaConfig c = PRESETS.get(name);
    if (c == null) {
      throw new BadInputException(
          "unknown synthetic preset '"
              + name
              + "': accepted are "
              + String.join(", ", PRESETS.keySet()));
    }
    return c;
  }

  public static java.util.Set<String> names() {
    return PRESETS.keySet();
  }
}
