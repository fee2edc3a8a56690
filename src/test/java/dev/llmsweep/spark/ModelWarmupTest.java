package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.engine.Generator;
import dev.llmsweep.job.SteadyState;
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
    Generator g =
        ScriptedGenerators.byBatch(
            Map.of(
                1, round -> round == 0 ? 1.0 : round == 1 ? 0.5 : 0.2,
                64, round -> 100.0));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds =
        ModelWarmup.run(
            g, List.of(SMALL, LARGE), new SteadyState(10, 0.05, 60, 30), warmed, JitClock.NONE);
    assertEquals(4, rounds, "rounds until batch 1's step agreed with its own previous round");
    assertEquals(Set.of(SMALL, LARGE), warmed);
  }

  @Test
  void aShapeThatNeverSettlesIsBoundedByModelWarmupSeconds() {
    // batch 1 alternates 1 ms and 2 ms forever: the warm-up ends at model_warmup_s = 1
    Generator g = ScriptedGenerators.byBatch(Map.of(1, round -> round % 2 == 0 ? 1.0 : 2.0));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds =
        ModelWarmup.run(g, List.of(SMALL), new SteadyState(10, 0.05, 60, 1), warmed, JitClock.NONE);
    assertTrue(rounds > 2, "kept warming while unsettled: " + rounds + " rounds");
    assertEquals(Set.of(SMALL), warmed, "the shape counts as warmed once the bound is reached");
  }

  @Test
  void aSettledShapeLeavesTheLaterRounds() {
    // batch 64 agrees at once (rounds 0 and 1); batch 1 only from round 4 on
    java.util.concurrent.atomic.AtomicInteger largeCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    Generator g =
        ScriptedGenerators.byBatch(
            Map.of(
                1, round -> round < 4 ? 1.0 / (round + 1) : 0.2,
                64,
                    round -> {
                      largeCalls.incrementAndGet();
                      return 100.0;
                    }));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds =
        ModelWarmup.run(
            g, List.of(SMALL, LARGE), new SteadyState(10, 0.05, 60, 30), warmed, JitClock.NONE);
    assertEquals(6, rounds, "batch 1: 1, 0.5, 0.33, 0.25, 0.2, 0.2 ms");
    assertEquals(2, largeCalls.get(), "batch 64 settled after two rounds and was not called again");
    assertEquals(Set.of(SMALL, LARGE), warmed);
  }

  @Test
  void warmsOnWhileTheJitCompilesEvenWhenEveryShapeHasSettled() {
    // both shapes are steady from the first call, but the JIT compiles for 50 ms during each of the
    // first four rounds (as a fresh executor JVM does): the warm-up goes on, every shape in every
    // round, until a round passes without compiling
    java.util.concurrent.atomic.AtomicLong compiled = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicInteger largeCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    Generator g =
        ScriptedGenerators.byBatch(
            Map.of(
                1,
                    round -> {
                      if (round < 4) {
                        compiled.addAndGet(50);
                      }
                      return 0.2;
                    },
                64,
                    round -> {
                      largeCalls.incrementAndGet();
                      return 100.0;
                    }));
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds =
        ModelWarmup.run(
            g, List.of(SMALL, LARGE), new SteadyState(10, 0.05, 60, 30), warmed, compiled::get);
    assertEquals(5, rounds, "rounds 0-3 overlapped the JIT, round 4 was quiet");
    assertEquals(
        5,
        largeCalls.get(),
        "the settled large batch was warmed again in every round the JIT was busy");
    assertEquals(Set.of(SMALL, LARGE), warmed);

    Set<ModelWarmup.Shape> again = new HashSet<>();
    assertEquals(
        2,
        ModelWarmup.run(
            ScriptedGenerators.byBatch(Map.of(1, round -> 0.2, 64, round -> 100.0)),
            List.of(SMALL, LARGE),
            new SteadyState(10, 0.05, 60, 30),
            again,
            JitClock.NONE),
        "without JIT activity two rounds that agree are enough");
  }

  @Test
  void warmsOnWhileTheOptimisingCompilerHasWorkLeft() {
    // a steady engine and no compile finishing during the calls, but C2 still busy at the end of
    // the first three rounds: the warm-up ends after the first round that leaves C2 idle
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    JitClock queued = JitClockTest.withOptimizer(() -> asked.incrementAndGet() <= 3);
    Set<ModelWarmup.Shape> warmed = new HashSet<>();
    int rounds =
        ModelWarmup.run(
            ScriptedGenerators.byBatch(Map.of(1, round -> 0.2, 64, round -> 100.0)),
            List.of(SMALL, LARGE),
            new SteadyState(10, 0.05, 60, 30),
            warmed,
            queued);
    assertEquals(4, rounds, "C2 had work after rounds 0-2");
    assertEquals(Set.of(SMALL, LARGE), warmed);
  }
}
