package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.Generator;
import dev.llmsweep.spec.SteadyState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The model warm-up's stopping rule, with an engine whose step times follow a script ({@link
 * ScriptedGenerators}: made-up timestamps; the test is about the rule, not the engine). Every shape
 * must settle on its own: a small shape still getting faster is not hidden behind a large batch
 * whose step dominates any sum.
 */
class ModelWarmupTest {
  private static final ModelWarmup.Shape SMALL = new ModelWarmup.Shape(1, 8, 8, 0.7, 0.9, 0);
  private static final ModelWarmup.Shape LARGE = new ModelWarmup.Shape(64, 8, 8, 0.7, 0.9, 0);

  @Test
  void warmsUntilEveryShapeAgreesWithItsPreviousRound() {
    // batch 1 takes 1.0, 0.5, 0.2, 0.2 ms a step in rounds 0..3 (its sampler compiling); batch 64
    // a steady 100 ms: the rounds' sums (101, 100.5, 100.2) agree within 5% from round 1 on
    Generator g = ScriptedGenerators.byBatch(Map.of(
        1, round -> round == 0 ? 1.0 : round == 1 ? 0.5 : 0.2,
        64, round -> 100.0));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds = ModelWarmup.run(g, List.of(SMALL, LARGE), new SteadyState(10, 0.05, 60, 30), warmed);
    assertEquals(4, rounds, "rounds until batch 1's step agreed with its own previous round");
    assertEquals(Set.of(SMALL, LARGE), warmed);
  }

  @Test
  void aShapeThatNeverSettlesIsBoundedByModelWarmupSeconds() {
    // batch 1 alternates 1 ms and 2 ms forever: the warm-up ends at model_warmup_s = 1
    Generator g = ScriptedGenerators.byBatch(Map.of(1, round -> round % 2 == 0 ? 1.0 : 2.0));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds = ModelWarmup.run(g, List.of(SMALL), new SteadyState(10, 0.05, 60, 1), warmed);
    assertTrue(rounds > 2, "kept warming while unsettled: " + rounds + " rounds");
    assertEquals(Set.of(SMALL), warmed, "the shape counts as warmed once the bound is reached");
  }

  @Test
  void aSettledShapeLeavesTheLaterRounds() {
    // batch 64 agrees at once (rounds 0 and 1); batch 1 only from round 4 on
    java.util.concurrent.atomic.AtomicInteger largeCalls = new java.util.concurrent.atomic.AtomicInteger();
    Generator g = ScriptedGenerators.byBatch(Map.of(
        1, round -> round < 4 ? 1.0 / (round + 1) : 0.2,
        64, round -> {
          largeCalls.incrementAndGet();
          return 100.0;
        }));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds = ModelWarmup.run(g, List.of(SMALL, LARGE), new SteadyState(10, 0.05, 60, 30), warmed);
    assertEquals(6, rounds, "batch 1: 1, 0.5, 0.33, 0.25, 0.2, 0.2 ms");
    assertEquals(2, largeCalls.get(), "batch 64 settled after two rounds and was not called again");
    assertEquals(Set.of(SMALL, LARGE), warmed);
  }
}
