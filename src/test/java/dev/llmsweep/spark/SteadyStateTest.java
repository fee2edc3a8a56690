package dev.llmsweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmsweep.SparkOnly;
import dev.llmsweep.analysis.Aggregator;
import dev.llmsweep.analysis.Recommendation;
import dev.llmsweep.analysis.Recommender;
import dev.llmsweep.analysis.SweetSpot;
import dev.llmsweep.analysis.TestSpark;
import dev.llmsweep.analysis.Views;
import dev.llmsweep.compare.ComparePointsFunction;
import dev.llmsweep.compare.Comparer;
import dev.llmsweep.compare.Comparison;
import dev.llmsweep.compare.ComparisonRow;
import dev.llmsweep.compare.Verdict;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.job.Plan;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.SteadyState;
import dev.llmsweep.store.BatchRow;
import dev.llmsweep.store.CallContext;
import dev.llmsweep.store.Placement;
import dev.llmsweep.store.RunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steady state, with an engine whose step times follow a script ({@link ScriptedGenerators}:
 * made-up timestamps, no sleeping, so nothing here depends on this machine's speed). A slow start
 * of the engine is injected on purpose, which is fine in a test of the warm-up logic: the point
 * keeps warming until two consecutive warm-ups agree, so its measured calls see only the steady
 * engine; a point whose engine drifts in the middle of its measured calls is flagged {@code
 * unstable}, {@code recommend} and the sweet spot leave it out and say so, and {@code compare}
 * gives it the verdict {@code unstable} instead of slower or faster.
 */
@SparkOnly
class SteadyStateTest extends TestSpark {

  @TempDir Path dir;

  @AfterEach
  void noScript() {
    ScriptedGenerators.SCRIPT.clear();
  }

  /** Slow first calls: 10, 8, 6, 4, 2 ms a step, then 1 ms. */
  private static final IntToDoubleFunction SLOW_START = n -> n < 5 ? 10 - 2 * n : 1.0;

  @Test
  void aSlowStartGetsMoreWarmUpsAndIsNotMeasured() {
    PointRunner adaptive =
        new PointRunner(
                ScriptedGenerators.of(SLOW_START),
                point(1, new SteadyState(20, 0.05, 60, 0)),
                base(),
                JitClock.NONE)
            .run();
    // calls 0-4 slow, 5 and 6 agree: seven warm-ups
    assertEquals(7, adaptive.warmups());
    for (BatchRow b : measured(adaptive)) {
      for (double step : b.decodeStepMs()) {
        assertEquals(1.0, step, 1e-6, "measured calls see the steady engine");
      }
    }
    PointRunner fixed =
        new PointRunner(
                ScriptedGenerators.of(SLOW_START),
                point(1, SteadyState.fixed(1)),
                base(),
                JitClock.NONE)
            .run();
    assertEquals(1, fixed.warmups());
    assertEquals(
        8.0, measured(fixed).get(0).decodeStepMs()[0], 1e-6, "one warm-up measures the slow start");
  }

  @Test
  void warmUpsGoOnWhileTheJitCompiles() {
    // a steady 1 ms step from the first call, but the JIT compiles for 40 ms during each of the
    // first four warm-ups (a fresh executor JVM): the point warms until a warm-up passes quiet
    java.util.concurrent.atomic.AtomicLong compiled = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    PointRunner r =
        new PointRunner(
                ScriptedGenerators.of(
                    n -> {
                      if (calls.getAndIncrement() < 4) {
                        compiled.addAndGet(40);
                      }
                      return 1.0;
                    }),
                point(1, new SteadyState(20, 0.05, 60, 0)),
                base(),
                compiled::get)
            .run();
    assertEquals(5, r.warmups(), "warm-ups 0-3 overlapped the JIT; 4 was quiet and agreed with 3");
    PointRunner bounded =
        new PointRunner(
                ScriptedGenerators.of(n -> 1.0),
                point(1, new SteadyState(3, 0.05, 60, 0)),
                base(),
                () -> compiled.addAndGet(100))
            .run();
    assertEquals(3, bounded.warmups(), "a JIT that never rests is bounded by warmup_max");
  }

  @Test
  void warmUpsStopAtTheirBoundWhenTheEngineNeverSettles() {
    PointRunner r =
        new PointRunner(
                ScriptedGenerators.of(n -> n % 2 == 0 ? 1.0 : 2.0),
                point(2, new SteadyState(5, 0.05, 60, 0)),
                base(),
                JitClock.NONE)
            .run();
    assertEquals(5, r.warmups());
    assertEquals(5 + 4, r.batches().size(), "5 warm-ups and the 4 repetitions");
    PointRunner none =
        new PointRunner(
                ScriptedGenerators.of(SLOW_START),
                point(0, new SteadyState(10, 0.05, 60, 0)),
                base(),
                JitClock.NONE)
            .run();
    assertEquals(0, none.warmups(), "warmups = 0 turns warm-ups off");
  }

  @Test
  void aPointThatDriftsMidwayIsUnstableAndLeftOutOfRecommendations() throws Exception {
    // batch 8 would win on throughput, but its second half of measured calls is 50% slower per step
    // (its calls: 2 warm-ups that agree, then 6 measured, the last 3 at 1.5 times the step)
    // steps a little longer for larger batches, so the batch-size curve has a shape
    for (int b : List.of(1, 2, 4)) {
      ScriptedGenerators.SCRIPT.put(b, n -> 1 + 0.1 * b);
    }
    ScriptedGenerators.SCRIPT.put(8, n -> n < 5 ? 1.8 : 2.7);
    Path job =
        TestSpark.jobFile(
            dir,
            "drift",
            """
        experiments = [
          { name = drift, axes { batch_size = [1, 2, 4, 8], max_tokens = 16, prompt_tokens = 4 }, repetitions = 6 }
        ]
        """);
    Plan plan = TestSpark.plan(job);
    RunStore store =
        RunStore.open(
            dir.resolve("results").toString(), spark.sparkContext().hadoopConfiguration());
    SweepJob.Result r =
        TestSpark.sweep(spark, store, "drift-run", ScriptedGenerators.class.getName()).run(plan);
    assertEquals("completed", r.manifest().status().label());

    SparkSession views = spark.newSession();
    String root = store.root().toString();
    Aggregator.aggregate(views, store.run("drift-run"));
    Views.load(views, root, "drift-run", Set.of());
    Map<Integer, Row> points =
        views
            .sql("SELECT batch_size, unstable, warmup_batches, drift_change FROM points")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(x -> x.getInt(0), x -> x));
    assertTrue(points.get(8).getBoolean(1), "batch 8 drifted: " + points.get(8));
    assertEquals(0.5, points.get(8).getDouble(3), 1e-6);
    for (int b : List.of(1, 2, 4)) {
      assertFalse(points.get(b).getBoolean(1), "batch " + b + " is steady");
      assertEquals(2L, points.get(b).getLong(2), "two warm-ups that agree");
    }
    String unstableId =
        plan.points().stream()
            .filter(p -> p.shape().batchSize() == 8)
            .findFirst()
            .orElseThrow()
            .pointId();
    Recommender recommender = new Recommender(views);
    for (String by : List.of("p50", "p99")) {
      Recommendation rec = recommender.withinBudget(store.run("drift-run"), 2.5, by);
      assertEquals(
          4, rec.choice().batchSize(), "the best stable point, by " + by + ": " + rec.describe());
      assertEquals(List.of(unstableId), rec.unstableSkipped());
      assertTrue(
          rec.describe().contains("1 unstable point(s) skipped (" + unstableId + ")"),
          rec.describe());
    }
    SweetSpot kneedle = recommender.sweetSpots(store.run("drift-run")).get(0);
    assertEquals(3, kneedle.curvePoints(), "the curve without the unstable point");
    assertEquals(1, kneedle.unstableSkipped());
    assertTrue(kneedle.describe().contains("1 unstable point(s) left out"), kneedle.describe());

    // compare: a steady run (batch 8 at 2.7 ms a step throughout) against the drifting one: batch
    // 8's figures say unstable instead of a verdict, outside the Holm family
    ScriptedGenerators.SCRIPT.put(8, n -> 2.7);
    TestSpark.sweep(spark, store, "steady-run", ScriptedGenerators.class.getName()).run(plan);
    Comparison c =
        Comparer.compare(
            spark,
            store.run("steady-run"),
            store.run("drift-run"),
            new ComparePointsFunction.Settings(0.10, 0.95, 200, 0));
    List<ComparisonRow> eight =
        c.rows().stream().filter(x -> x.setting().batchSize() == 8).toList();
    assertEquals(7, eight.size(), "every metric of batch 8: " + c.rows());
    for (ComparisonRow x : eight) {
      assertEquals(Verdict.UNSTABLE.label(), x.verdict(), x.toString());
      assertNull(x.test().pValueHolm(), "not in the Holm family: " + x);
    }
    assertEquals(Set.of(eight.get(0).point()), c.pointsWith(Verdict.UNSTABLE));
    assertFalse(c.regressed(), "the steady points did not change: " + c.rows());
  }

  private static List<BatchRow> measured(PointRunner r) {
    return r.batches().stream().filter(b -> !b.call().warmup()).toList();
  }

  private static Point point(int warmups, SteadyState steady) {
    return new Point(
        new Point.Identity("00000000000000ab", "e", 0),
        new Point.ModelChoice("scripted", "float32", "cpu"),
        Point.Shape.synthetic(2, 8, 3),
        SamplingParams.greedy(),
        new Point.Measurement(4, warmups, false, 0, steady),
        Point.Stopping.never());
  }

  private static CallContext base() {
    return new CallContext(
        "run",
        null,
        0,
        false,
        false,
        8,
        new Placement("driver", "host", "jvm", "cpu", "cpu", null));
  }
}
