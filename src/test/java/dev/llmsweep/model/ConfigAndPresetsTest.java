package dev.llmsweep.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmsweep.Fixtures;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.LlamaGenerator;
import dev.llmsweep.errors.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json spellings, and the synthetic presets' sizes against the published ones. */
class ConfigAndPresetsTest {

  @Test
  void presetParameterCountsMatchThePublishedModels() {
    // counted from the shapes; the 7B/8B presets are never allocated here
    assertEquals(7_248_023_552L, Presets.get("mistral-7b-v0.3").parameterCount());
    assertEquals(8_030_261_248L, Presets.get("llama-3.1-8b").parameterCount());
    assertEquals(1_100_048_384L, Presets.get("tinyllama-1.1b").parameterCount());
    long bench = Presets.get("bench-110m").parameterCount();
    assertTrue(Math.abs(bench - 110_000_000L) < 1_000_000L, "bench-110m has " + bench);
  }

  @Test
  void unknownPresetListsTheAcceptedOnes() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Engines.describe("synthetic:gpt-5"));
    assertTrue(
        e.getMessage().contains("gpt-5") && e.getMessage().contains("mistral-7b-v0.3"),
        e.getMessage());
  }

  @Test
  void llama3ScalingFollowsTheReferenceFormula() {
    RopeScaling r = new RopeScaling("llama3", 500_000.0, 8.0, 1.0, 4.0, 8192);
    float[] inv = r.inverseFrequencies(128);
    float[] plain = RopeScaling.plain(500_000.0).inverseFrequencies(128);
    assertEquals(plain[0], inv[0], 0f, "high frequencies (short wavelengths) are unchanged");
    assertEquals(plain[63] / 8.0, inv[63], 1e-12, "low frequencies are divided by the factor");
    for (int i = 0; i < inv.length; i++) {
      assertTrue(
          inv[i] <= plain[i] && inv[i] >= plain[i] / 8.0 - 1e-12,
          "frequency " + i + " out of bounds");
    }
  }

  @Test
  void legacyRopeScalingSpellingGivesTheSameModel(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("legacy");
    Files.createDirectories(dir);
    try (var files = Files.list(Fixtures.dir("tiny-llama3-bf16"))) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
    ObjectNode params = (ObjectNode) config.remove("rope_parameters");
    config.put("rope_theta", params.remove("rope_theta").asDouble());
    config.set("rope_scaling", params);
    json.writeValue(dir.resolve("config.json").toFile(), config);

    LlamaConfig modern = LlamaConfig.read(Fixtures.dir("tiny-llama3-bf16"));
    LlamaConfig legacy = LlamaConfig.read(dir);
    assertEquals(modern.rope(), legacy.rope());
    int[] ids = {1, 5, 9, 33, 200};
    try (LlamaGenerator a =
            Engines.load(Fixtures.dir("tiny-llama3-bf16").toString(), ComputeDevice.cpu());
        LlamaGenerator b = Engines.load(dir.toString(), ComputeDevice.cpu())) {
      assertArrayEquals(a.promptLogits(ids)[4], b.promptLogits(ids)[4]);
    }
  }

  @Test
  void syntheticModelOfARealArchitectureGenerates() {
    try (LlamaGenerator g = Engines.load("synthetic:bench-110m", ComputeDevice.cpu())) {
      assertEquals(Presets.get("bench-110m").parameterCount(), g.info().parameters());
      var out =
          g.generate(
              new dev.llmsweep.engine.GenerationRequest(
                  java.util.List.of(new int[] {1, 100, 200}),
                  3,
                  dev.llmsweep.engine.SamplingParams.greedy(),
                  true,
                  java.util.List.of()),
              dev.llmsweep.engine.TokenListener.NONE);
      assertEquals(3, out.requests().get(0).newTokenIds().length);
    }
  }
}
