package dev.llmsweep.model.cpu;

import dev.llmsweep.model.Decoder;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Sampler}'s rule on the host, for logits the CPU kernels already hold in a Java array:
 * temperature, then top-k, then top-p over the renormalised top-k, then an inverse-CDF draw with
 * the row's host uniform. Used only when the model runs on the CPU kernels (this class needs the
 * Vector API module).
 *
 * <p>Why: PyTorch's version sorts every row's whole vocabulary on one thread; at batch 32 with a
 * 32,000-token vocabulary that was 85 ms of a 130 ms decode step on this machine. Here nothing is
 * sorted: the top-k and top-p cut-offs are found by radix selection over the probabilities' bit
 * patterns (positive floats order like their bits), three histogram passes of 11 bits, the later
 * ones over the few tokens left in the boundary bucket. Tokens tied at a cut-off are kept in id
 * order. The draw then walks the kept tokens in id order, where PyTorch's walks them by descending
 * probability: the distribution is the same, but a given seed maps to a different token on the two
 * paths (on each path, always the same one).
 *
 * <p>Why the {@link Scratch} and the bucket ranges: a decode step of a small model is tens of
 * microseconds, and the sampler is a large part of it at batch 1. It used to allocate about 75 KB
 * per row and step and scan every one of 3 x 2048 buckets; whenever the JIT deoptimised it (an
 * {@code unstable_if} trap when a point first takes a branch the compiled code had never seen:
 * greedy after sampled, {@code top_p = 1} after {@code top_p < 1}) it ran interpreted until
 * recompiled, about 5x slower steps, for as long as the one C2 thread of a busy 2-core executor
 * took to get to it: the bimodal batch-1 points of issue 11. Now {@link #warmUp()} shows the JIT
 * every path before it compiles, the draw takes the same branches whatever the data, a step
 * allocates nothing, and each pass scans only the buckets its tokens occupy.
 */
public final class HostSampler {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int BUCKETS = 2048;
  private static final AtomicBoolean WARMED = new AtomicBoolean();

  private HostSampler() {}

  /**
   * Runs every path of the sampler on made-up logits until the JIT has compiled it with all of them
   * seen, once per JVM (a few hundred milliseconds; called when a model is loaded onto the CPU
   * kernels). Why: compiled with a profile of one point's setting (say {@code top_p = 0.9}, as the
   * whole batch sweep samples), the sampler hit an {@code unstable_if} trap at the first greedy or
   * {@code top_p = 1} point, fell back to the interpreter, where a batch-1 step of the tiny model
   * took 5x as long, and stayed there as long as the JVM's one C2 thread was busy elsewhere: whole
   * points ran in a slow mode that the next run did not reproduce (issue 11). Greedy, unfiltered,
   * top-p, top-k, both, ties and a cut never reached are all seen here first.
   */
  public static void warmUp() {
    if (!WARMED.compareAndSet(false, true)) {
      return;
    }
    int vocab = 131; // not a multiple of any vector length: the scalar tails run too
    int rows = 8;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    float[][] logits = new float[3][rows * vocab];
    for (int v = 0; v < rows * vocab; v++) {
      logits[0][v] = (float) (rng.nextGaussian() * 0.05); // flat: top-p keeps most tokens
      logits[1][v] = (float) (rng.nextGaussian() * 4); // peaked: top-p keeps a few
      logits[2][v] = (v % vocab) % 7 == 0 ? 3f : (float) rng.nextGaussian(); // ties at the top
    }
    Decoder.Sampling[] modes = {
      new Decoder.Sampling(0, 0, 1), new Decoder.Sampling(0.7, 0, 1),
          new Decoder.Sampling(0.7, 0, 0.9),
      new Decoder.Sampling(1.3, 0, 0.8), new Decoder.Sampling(0.7, 40, 1),
          new Decoder.Sampling(1.0, 40, 0.9),
      new Decoder.Sampling(1.0, 0, 0.9999999)
    };
    Scratch scratch = new Scratch(vocab);
    double[] u = new double[rows];
    for (int i = 0; i < 3_000; i++) {
      for (int r = 0; r < rows; r++) {
        u[r] = rng.nextDouble();
      }
      sample(logits[i % logits.length], vocab, modes[i % modes.length], u, scratch);
    }
  }

  /**
   * The sampler's working arrays for one vocabulary, reused by every row and step of a batch (one
   * thread at a time). Between calls {@code kept} is all false and the bucket arrays all zero.
   */
  public static final class Scratch {
    private final float[] weights; // [vocab]
    private final int[] ids; // [vocab]
    private final int[] undecided; // [vocab]
    private final int[] chosen; // [vocab]
    private final boolean[] kept; // [vocab]
    private final int[] bucketCount = new int[BUCKETS];
    private final double[] bucketMass = new double[BUCKETS];

    public Scratch(int vocab) {
      weights = new float[vocab];
      ids = new int[vocab];
      undecided = new int[vocab];
      chosen = new int[vocab];
      kept = new boolean[vocab];
    }
  }

  /**
   * @param logits [rows, vocab]
   * @param uniforms one number in [0, 1) per row (unused when greedy)
   * @return ids [rows]
   */
  public static long[] sample(
      float[] logits, int vocab, Decoder.Sampling params, double[] uniforms) {
    return sample(logits, vocab, params, uniforms, new Scratch(vocab));
  }

  /**
   * As {@link #sample(float[], int, Decoder.Sampling, double[])}, with the batch's reused arrays.
   */
  public static long[] sample(
      float[] logits, int vocab, Decoder.Sampling params, double[] uniforms, Scratch scratch) {
    int rows = logits.length / vocab;
    long[] ids = new long[rows];
    for (int r = 0; r < rows; r++) {
      ids[r] =
          params.temperature() == 0
              ? argmax(logits, r * vocab, vocab)
              : draw(logits, r * vocab, vocab, params, uniforms[r], scratch);
    }
    return ids;
  }

  /** The first index of the largest logit, as PyTorch's argmax. */
  public static int argmax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int v = 1; v < vocab; v++) {
      if (logits[offset + v] > logits[offset + best]) {
        best = v;
      }
    }
    return best;
  }

  private static int draw(
      float[] logits, int offset, int vocab, Decoder.Sampling params, double u, Scratch s) {
    float[] w = s.weights;
    softmaxWeights(logits, offset, vocab, (float) (1.0 / params.temperature()), w);
    int n = keep(w, vocab, params.topK(), params.topP(), s);
    boolean[] kept = s.kept;
    double total = 0;
    for (int v = 0; v < vocab; v++) {
      total += kept[v] ? w[v] : 0;
    }
    double target = u * total;
    // one full pass, the same branches whatever the data (a loop that ends early, or a fallback
    // taken once in millions of draws, is a branch the compiled code may not have seen: a trap)
    double cumulative = 0;
    int chosen = -1;
    int last = -1;
    for (int v = 0; v < vocab; v++) {
      cumulative += kept[v] ? w[v] : 0;
      chosen = chosen < 0 && kept[v] && cumulative > target ? v : chosen;
      last = kept[v] ? v : last;
    }
    // rounding: u * total came out at the very top; then the last kept token (-1 + 1 + last)
    chosen += (chosen >>> 31) * (last + 1);
    for (int i = 0; i < n; i++) {
      kept[s.ids[i]] = false;
    }
    return chosen;
  }

  /** {@code w = exp(logits * scale - max)}: unnormalised softmax weights, all in (0, 1]. */
  public static void softmaxWeights(float[] logits, int offset, int vocab, float scale, float[] w) {
    float max = Float.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      w[v] = logits[offset + v] * scale;
      max = Math.max(max, w[v]);
    }
    FloatVector top = FloatVector.broadcast(SPECIES, max);
    int v = 0;
    for (; v + LANES <= vocab; v += LANES) {
      FloatVector.fromArray(SPECIES, w, v).sub(top).lanewise(VectorOperators.EXP).intoArray(w, v);
    }
    for (; v < vocab; v++) {
      w[v] = (float) Math.exp(w[v] - max);
    }
  }

  /**
   * Which tokens top-k and then top-p keep, given weights proportional to the probabilities; null
   * when neither filters. Top-p keeps, in descending order, each token whose mass strictly ahead is
   * below {@code topP} of the (top-k) total, as transformers does.
   */
  public static boolean[] kept(float[] w, int topK, double topP) {
    int vocab = w.length;
    if (!(topK > 0 && topK < vocab) && topP >= 1) {
      return null;
    }
    Scratch s = new Scratch(vocab);
    keep(w, vocab, topK, topP, s);
    return s.kept.clone();
  }

  /**
   * Marks the kept tokens in {@code s.kept} (every token when neither filter applies) and returns
   * how many, their ids in {@code s.ids[0 .. n)}.
   */
  private static int keep(float[] w, int vocab, int topK, double topP, Scratch s) {
    int[] ids = s.ids;
    for (int v = 0; v < vocab; v++) {
      ids[v] = v;
    }
    int n = vocab;
    if (topK > 0 && topK < vocab) {
      n = cut(w, ids, n, topK, -1, s);
    }
    if (topP < 1) {
      double mass = 0;
      for (int i = 0; i < n; i++) {
        mass += w[ids[i]];
      }
      n = cut(w, ids, n, -1, topP * mass, s);
    }
    for (int i = 0; i < n; i++) {
      s.kept[ids[i]] = true;
    }
    return n;
  }

  /**
   * Reorders {@code ids[0 .. n)} so that the tokens kept come first, and returns how many: the
   * {@code count} largest weights (count >= 0), or the shortest descending prefix whose weight
   * reaches {@code mass}. Ties at the cut-off are taken in id order. Radix selection over the
   * weights' bits: every kept token's bits are above the boundary bucket's, or in it. Each pass
   * counts and scans only the buckets between its tokens' lowest and highest (softmax weights in
   * (0, 1] span a few hundred of the first pass's 2048; the later passes see a handful of tokens).
   */
  private static int cut(float[] w, int[] ids, int n, int count, double mass, Scratch s) {
    int[] undecided = s.undecided;
    System.arraycopy(ids, 0, undecided, 0, n);
    int left = n;
    int[] kept = s.chosen;
    int keptCount = 0;
    double keptMass = 0;
    int[] bucketCount = s.bucketCount;
    double[] bucketMass = s.bucketMass;
    for (int shift = 22;
        shift >= 0 && left > 0;
        shift -= 11) { // bits 30..22 (the sign is 0), 21..11, 10..0
      int lo = BUCKETS - 1;
      int hi = 0;
      for (int i = 0; i < left; i++) {
        int b = (Float.floatToRawIntBits(w[undecided[i]]) >>> shift) & (BUCKETS - 1);
        bucketCount[b]++;
        bucketMass[b] += w[undecided[i]];
        lo = Math.min(lo, b);
        hi = Math.max(hi, b);
      }
      int boundary = lo - 1; // below every bucket: the cut is never reached, everything is kept
      int aboveCount = keptCount;
      double aboveMass = keptMass;
      for (int b = hi; b >= lo; b--) {
        if (count >= 0 ? aboveCount + bucketCount[b] >= count : aboveMass + bucketMass[b] >= mass) {
          boundary = b;
          break;
        }
        aboveCount += bucketCount[b];
        aboveMass += bucketMass[b];
      }
      for (int b = lo; b <= hi; b++) { // leave the buckets zero for the next pass
        bucketCount[b] = 0;
        bucketMass[b] = 0;
      }
      int next = 0;
      for (int i = 0; i < left; i++) {
        int id = undecided[i];
        int b = (Float.floatToRawIntBits(w[id]) >>> shift) & (BUCKETS - 1);
        if (b > boundary) {
          kept[keptCount++] = id;
          keptMass += w[id];
        } else if (b == boundary) {
          undecided[next++] = id;
        }
      }
      left = next;
    }
    // the undecided tokens now have equal weights: take them in id order until the cut is reached
    java.util.Arrays.sort(undecided, 0, left);
    for (int i = 0; i < left && (count >= 0 ? keptCount < count : keptMass < mass); i++) {
      kept[keptCount++] = undecided[i];
      keptMass += w[undecided[i]];
    }
    System.arraycopy(kept, 0, ids, 0, keptCount);
    return keptCount;
  }
}
