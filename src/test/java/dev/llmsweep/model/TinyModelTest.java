package dev.llmsweep.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.ComputeDevice;
import dev.llmsweep.engine.Engines;
import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.LlamaGenerator;
import dev.llmsweep.engine.TokenListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in tiny model: reproducible files, a working tokenizer, text in and out. */
class TinyModelTest {

  @Test
  void sameSeedWritesIdenticalFiles(@TempDir Path tmp) throws Exception {
    Path a = TinyModel.materialize(tmp.resolve("a"));
    Path b = TinyModel.materialize(tmp.resolve("b"));
    for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
  }

  @Test
  void textRoundTripsThroughTheByteLevelTokenizer() {
    try (LlamaGenerator g = Engines.load("tiny", ComputeDevice.cpu())) {
      String text = "The président of France is ☃ 42!";
      int[] ids = g.encode(text);
      assertEquals(1, ids[0], "BOS is added");
      assertEquals(
          1 + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
          ids.length,
          "one token per byte");
      assertEquals(text, g.decode(ids));
      var out = g.generate(GenerationRequest.greedy(List.of(ids), 8), TokenListener.NONE);
      assertTrue(out.requests().get(0).text() != null);
      assertTrue(out.requests().get(0).newTokenIds().length >= 1);
    }
  }
}
