package dev.llmsweep.spark;

import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.job.Point;
import dev.llmsweep.job.SteadyState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Warms a loaded model before its first point (executor side): short calls of each batch shape and
 * sampling mode the run's points of that model will use, smallest batch first, round after round
 * until each has settled (its median decode step within the points' {@code warmup_tolerance} of its
 * own in the round before; settled shapes leave the later rounds) and the last round passed with
 * the JIT compilers quiet and nothing left for the optimising compiler ({@link JitClock#settled};
 * else a round of every shape again), at least two rounds and at most {@code model_warmup_s}
 * seconds: the JIT has then compiled every path (a fresh JVM needs seconds of calls for that, more
 * on a busy machine), allocators have grown and the engine has seen each shape before anything is
 * measured. Nothing is recorded: these calls belong to no point. A shape whose call fails (say out
 * of memory at the largest batch) ends the model warm-up; its point then fails or runs on its own,
 * as it would have without it.
 */
final class ModelWarmup {
  /** Tokens of each warm-up call: enough decode steps to compile the step path. */
  static final int TOKENS = 8;

  private ModelWarmup() {}

  /**
   * A batch shape and sampling mode of a point.
   *
   * @param batchSize requests per call
   * @param promptTokens prompt length
   * @param maxTokens the point's output budget (the call uses at most {@link #TOKENS})
   * @param temperature sampling temperature
   * @param topP nucleus threshold
   * @param topK top-k
   */
  record Shape(
      int batchSize, int promptTokens, int maxTokens, double temperature, double topP, int topK)
      implements Serializable, Comparable<Shape> {
    private static final Comparator<Shape> ORDER =
        Comparator.comparingInt(Shape::batchSize)
            .thenComparingInt(Shape::promptTokens)
            .thenComparingInt(Shape::maxTokens)
            .thenComparingDouble(Shape::temperature)
            .thenComparingDouble(Shape::topP)
            .thenComparingInt(Shape::topK);

    static Shape of(Point p) {
      Point.Shape s = p.shape();
      return new Shape(
          s.batchSize(),
          Math.max(1, s.promptTokens()),
          Math.min(s.maxTokens(), TOKENS),
          p.sampling().temperature(),
          p.sampling().topP(),
          p.sampling().topK());
    }

    @Override
    public int compareTo(Shape o) {
      return ORDER.compare(this, o);
    }
  }

  /** The shapes of the points that warm a model: those whose model warm-up is on. */
  static List<Shape> shapes(List<Point> points) {
    TreeSet<Shape> out = new TreeSet<>();
    for (Point p : points) {
      if (p.measurement().steadyState().modelWarmupSeconds() > 0) {
        out.add(Shape.of(p));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The model warm-up of the points: the longest {@code model_warmup_s} they ask for, and the
   * tightest {@code warmup_tolerance}.
   */
  static SteadyState policy(List<Point> points) {
    int seconds =
        points.stream()
            .mapToInt(p -> p.measurement().steadyState().modelWarmupSeconds())
            .max()
            .orElse(0);
    double tolerance =
        points.stream()
            .mapToDouble(p -> p.measurement().steadyState().tolerance())
            .min()
            .orElse(0.05);
    return new SteadyState(0, tolerance, 0, seconds);
  }

  /**
   * Warms the shapes not in {@code warmed}, each until it settles: rounds of one call per unsettled
   * shape; a shape has settled when its median decode step agrees with its own in the round before
   * (within the tolerance), and later rounds leave it out; when all have settled but the JIT
   * compiled during the last round, rounds of every shape go on until one passes quiet. Ends then
   * or when {@code policy.modelWarmupSeconds()} have passed (at least two rounds), then adds them
   * to {@code warmed}; returns the rounds made. Stops at the first failing call (leaving that shape
   * and larger ones to their points).
   */
  static int run(
      Generator generator,
      List<Shape> shapes,
      SteadyState policy,
      Set<Shape> warmed,
      JitClock jit) {
    List<Shape> todo = new ArrayList<>(shapes.stream().filter(s -> !warmed.contains(s)).toList());
    if (todo.isEmpty() || policy.modelWarmupSeconds() <= 0) {
      return 0;
    }
    List<Shape> all = List.copyOf(todo);
    Map<Shape, Double> previous = new HashMap<>();
    long start = System.nanoTime();
    int rounds = 0;
    boolean quiet = false;
    while ((!todo.isEmpty() || !quiet)
        && (rounds < 2
            || System.nanoTime() - start < policy.modelWarmupSeconds() * 1_000_000_000L)) {
      if (todo.isEmpty()) {
        todo = all; // every shape has settled while the JIT was still compiling: a round of all of
        // them again
      }
      JitClock.Window window = jit.window();
      double[] last = round(generator, todo, warmed);
      quiet = last != null && window.settled();
      rounds++;
      if (last == null) {
        warmed.addAll(all); // a call failed: every shape is left to its own point
        return rounds;
      }
      List<Shape> unsettled = new ArrayList<>();
      for (int i = 0; i < last.length; i++) {
        Shape s = todo.get(i);
        Double before = previous.put(s, last[i]);
        if (before == null || !policy.stable(before, last[i])) {
          unsettled.add(s);
        }
      }
      todo = unsettled;
    }
    warmed.addAll(all);
    return rounds;
  }

  /** One call per shape; each shape's median decode step, or null when a call failed. */
  private static double[] round(Generator generator, List<Shape> shapes, Set<Shape> warmed) {
    double[] medians = new double[shapes.size()];
    for (int i = 0; i < medians.length; i++) {
      Shape s = shapes.get(i);
      List<int[]> prompts = new ArrayList<>();
      SplittableRandom rng = new SplittableRandom(s.batchSize() * 31L + s.promptTokens());
      int vocab = Math.max(generator.info().vocabSize(), 4);
      for (int r = 0; r < s.batchSize(); r++) {
        int[] ids = new int[s.promptTokens()];
        for (int k = 0; k < ids.length; k++) {
          ids[k] = rng.nextInt(Math.min(3, vocab - 1), vocab);
        }
        prompts.add(ids);
      }
      try {
        medians[i] =
            PointRunner.medianStepMs(
                generator.generate(
                    new GenerationRequest(
                        prompts,
                        s.maxTokens(),
                        new SamplingParams(s.temperature(), s.topP(), s.topK(), 0),
                        true,
                        List.of()),
                    TokenListener.NONE));
      } catch (RuntimeException | OutOfMemoryError e) {
        // every shape from here on is left to its own point, which records a failure if it fails
        // again
        warmed.addAll(shapes);
        return null;
      }
    }
    return medians;
  }
}
