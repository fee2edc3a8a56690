package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Native memory stays flat across steps and calls, on both backends: the arrays alive under the
 * model's manager are the same number at every decode step of a call (per-step temporaries are
 * freed within the step), and after each call exactly those held after loading (weights and
 * tables): the KV cache, masks and chosen ids are freed with the call.
 */
class MemoryTest {

  @ParameterizedTest(name = "CPU kernels {0}")
  @ValueSource(booleans = {true, false})
  void arraysAliveAreFlatAcrossStepsAndCalls(boolean cpuKernels) throws Exception {
    try (LlamaGenerator g = GoldenTest.load("tiny-llama", cpuKernels)) {
      int loaded = g.model().liveArrays();
      int[] prompt = {1, 5, 9, 14};
      GenerationRequest greedy =
          new GenerationRequest(
              List.of(prompt, new int[] {1, 7}), 24, SamplingParams.greedy(), true, List.of());
      GenerationRequest sampled =
          new GenerationRequest(
              List.of(prompt), 24, new SamplingParams(0.9, 0.9, 40, 1), true, List.of());
      for (int i = 0; i < 3; i++) {
        for (GenerationRequest request : List.of(greedy, sampled)) {
          List<Integer> perStep = new ArrayList<>();
          g.generate(request, (step, tokens, nanos) -> perStep.add(g.model().liveArrays()));
          assertEquals(24, perStep.size());
          assertEquals(
              perStep.get(2),
              perStep.get(23),
              "arrays alive at step 2 and step 23 of call " + i + ": " + perStep);
          assertEquals(loaded, g.model().liveArrays(), "arrays left after call " + i);
        }
      }
    }
  }
}
