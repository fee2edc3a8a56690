package dev.llmsweep.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.Fixtures;
import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.errors.ModelFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken checkpoints fail with a message naming the file and the tensor, before any compute. */
class CheckpointErrorsTest {
  @TempDir Path tmp;

  private Path copy(String fixture) throws IOException {
    Path target = tmp.resolve(fixture);
    Files.createDirectories(target);
    try (var files = Files.list(Fixtures.dir(fixture))) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  private ModelFormatException loadFails(Path dir) {
    return assertThrows(
        ModelFormatException.class,
        () -> Engines.load(dir.toString(), ComputeDevice.cpu()).close());
  }

  @Test
  void truncatedFileNamesTheFileAndTheTensorCut() throws IOException {
    Path dir = copy("tiny-llama");
    Path file = dir.resolve("model.safetensors");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 1000);
    }
    ModelFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("model.layers.1"), e.getMessage());
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path dir = tmp.resolve("missing");
    Files.createDirectories(dir);
    Files.copy(Fixtures.dir("tiny-llama").resolve("config.json"), dir.resolve("config.json"));
    SafetensorsWriter w = new SafetensorsWriter();
    w.add("model.embed_tokens.weight", new long[] {512, 64}, new float[512 * 64]);
    w.write(dir.resolve("model.safetensors"));
    ModelFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("model.layers.0.self_attn.q_proj.weight"), e.getMessage());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void wrongShapeIsNamedWithBothShapes() throws IOException {
    Path dir = copy("tiny-llama");
    // claim a wider model than the weights hold
    String config =
        Files.readString(dir.resolve("config.json"))
            .replace("\"intermediate_size\": 160", "\"intermediate_size\": 192");
    Files.writeString(dir.resolve("config.json"), config);
    ModelFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("mlp.gate_proj.weight"), e.getMessage());
    assertTrue(
        e.getMessage().contains("[160, 64]") && e.getMessage().contains("[192, 64]"),
        e.getMessage());
  }

  @Test
  void missingShardIsNamed() throws IOException {
    Path dir = copy("tiny-linear-f16-sharded");
    Files.delete(dir.resolve("model-00002-of-00003.safetensors"));
    ModelFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("model-00002-of-00003.safetensors"), e.getMessage());
  }

  @Test
  void unsupportedArchitectureIsRefusedWithTheAcceptedOnes() throws IOException {
    Path dir = copy("tiny-llama");
    Files.writeString(
        dir.resolve("config.json"),
        Files.readString(dir.resolve("config.json"))
            .replace("LlamaForCausalLM", "GPT2LMHeadModel"));
    ModelFormatException e = loadFails(dir);
    assertTrue(
        e.getMessage().contains("GPT2LMHeadModel") && e.getMessage().contains("MistralForCausalLM"),
        e.getMessage());
  }

  @Test
  void corruptHeaderIsRefused() throws IOException {
    Path dir = copy("tiny-llama");
    Path file = dir.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    bytes[8] = '#'; // the opening brace of the JSON header
    Files.write(file, bytes);
    ModelFormatException e = loadFails(dir);
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void bf16WideningIsAShiftIntoTheUpperHalf() {
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.allocate(6).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    in.putShort((short) 0x3F80)
        .putShort((short) 0xC040)
        .putShort((short) 0x7F80)
        .flip(); // 1.0, -3.0, +inf
    java.nio.FloatBuffer out = CheckpointWeights.bf16ToFloat32(in).asFloatBuffer();
    org.junit.jupiter.api.Assertions.assertEquals(1.0f, out.get(0));
    org.junit.jupiter.api.Assertions.assertEquals(-3.0f, out.get(1));
    org.junit.jupiter.api.Assertions.assertEquals(Float.POSITIVE_INFINITY, out.get(2));
  }
}
