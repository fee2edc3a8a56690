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
 * Warms a loaded model before its first point (executor side): one short call for each batch
 * shape and sampling mode the run's points of that model will use, smallest batch first, so that
 * the JIT has compiled every path, allocators have grown and the engine has seen each shape before
 * anything is measured. Nothing is recorded: these calls belong to no point. A shape whose call
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
      if (p.steadyState().modelWarmup()) {
        out.add(Shape.of(p));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Runs one call per shape not in {@code warmed}, adding each to it; returns the calls made.
   * Stops at the first failing call (leaving that shape and larger ones unwarmed).
   */
  static int run(Generator generator, List<Shape> shapes, Set<Shape> warmed) {
    int calls = 0;
    for (Shape s : shapes) {
      if (warmed.contains(s)) {
        continue;
      }
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
      warmed.add(s);
      calls++;
    }
    return calls;
  }
}
