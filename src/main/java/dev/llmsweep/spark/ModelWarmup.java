package dev.llmsweep.spark;

import dev.llmsweep.engine.GenerationRequest;
import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.engine.TokenListener;
import dev.llmsweep.spec.Point;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Warms a loaded model before its first point (executor side): short calls of each batch shape and
 * sampling mode the run's points of that model will use, smallest batch first, round after round
 * for at least the points' {@code model_warmup_s}, so that the JIT has compiled every path (a fresh
 * JVM needs seconds of calls for that), allocators have grown and the engine has seen each shape
 * before anything is measured. Nothing is recorded: these calls belong to no point. A shape whose call
 * fails (say out of memory at the largest batch) ends the model warm-up; its point then fails or
 * runs on its own, as it would have without it.
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
  record Shape(int batchSize, int promptTokens, int maxTokens, double temperature, double topP, int topK)
      implements Serializable, Comparable<Shape> {
    private static final Comparator<Shape> ORDER = Comparator.comparingInt(Shape::batchSize)
        .thenComparingInt(Shape::promptTokens).thenComparingInt(Shape::maxTokens)
        .thenComparingDouble(Shape::temperature).thenComparingDouble(Shape::topP).thenComparingInt(Shape::topK);

    static Shape of(Point p) {
      return new Shape(p.batchSize(), Math.max(1, p.promptTokens()), Math.min(p.maxTokens(), TOKENS), p.temperature(),
          p.topP(), p.topK());
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
      if (p.steadyState().modelWarmupSeconds() > 0) {
        out.add(Shape.of(p));
      }
    }
    return List.copyOf(out);
  }

  /** The longest model warm-up the points ask for, in seconds. */
  static int seconds(List<Point> points) {
    return points.stream().mapToInt(p -> p.steadyState().modelWarmupSeconds()).max().orElse(0);
  }

  /**
   * Warms the shapes not in {@code warmed}: rounds of one call per shape until {@code seconds}
   * have passed (at least one round), then adds them to {@code warmed}; returns the calls made.
   * Stops at the first failing call (leaving that shape and larger ones to their points).
   */
  static int run(Generator generator, List<Shape> shapes, int seconds, Set<Shape> warmed) {
    List<Shape> todo = shapes.stream().filter(s -> !warmed.contains(s)).toList();
    long start = System.nanoTime();
    int calls = 0;
    do {
      int made = round(generator, todo, warmed);
      calls += made;
      if (made < todo.size()) {
        return calls;
      }
    } while (!todo.isEmpty() && System.nanoTime() - start < seconds * 1_000_000_000L);
    warmed.addAll(todo);
    return calls;
  }

  /** One call per shape; returns the calls that succeeded (fewer than asked: it stopped at a failure). */
  private static int round(Generator generator, List<Shape> shapes, Set<Shape> warmed) {
    int calls = 0;
    for (Shape s : shapes) {
      List<int[]> prompts = new ArrayList<>();
      SplittableRandom rng = new SplittableRandom(s.batchSize() * 31L + s.promptTokens());
      int vocab = Math.max(generator.info().vocabSize(), 4);
      for (int i = 0; i < s.batchSize(); i++) {
        int[] ids = new int[s.promptTokens()];
        for (int k = 0; k < ids.length; k++) {
          ids[k] = rng.nextInt(Math.min(3, vocab - 1), vocab);
        }
        prompts.add(ids);
      }
      try {
        generator.generate(new GenerationRequest(prompts, s.maxTokens(), new SamplingParams(s.temperature(), s.topP(),
            s.topK(), 0), true, List.of()), TokenListener.NONE);
      } catch (RuntimeException | OutOfMemoryError e) {
        // every shape from here on is left to its own point, which records a failure if it fails again
        warmed.addAll(shapes);
        return calls;
      }
      calls++;
    }
    return calls;
  }
}
