package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Native memory does not grow across steps or calls: every array a generate call creates (per-step
 * temporaries, the KV cache, masks, chosen ids) is closed by the time it returns, so the model's
 * manager holds exactly the arrays it held after loading (weights and tables).
 */
class MemoryTest {

  @Test
  void generateLeavesNoArraysBehind() {
    try (LlamaGenerator g = Engines.load("tiny", ComputeDevice.cpu())) {
      int loaded = g.model().manager().getManagedArrays().size();
      GenerationRequest greedy = new GenerationRequest(
          List.of(g.encode("warm"), g.encode("a longer prompt")), 20, SamplingParams.greedy(), true, List.of());
      GenerationRequest sampled = new GenerationRequest(
          List.of(g.encode("x")), 20, new SamplingParams(0.9, 0.9, 40, 1), true, List.of(" "));
      for (int i = 0; i < 5; i++) {
        g.generate(greedy, TokenListener.NONE);
        g.generate(sampled, TokenListener.NONE);
        assertEquals(loaded, g.model().manager().getManagedArrays().size(), "arrays left after call " + i);
      }
    }
  }
}
