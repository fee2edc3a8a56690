package dev.llmsweep.model.cpu;

import dev.llmsweep.model.Decoder;
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
 * probability: the distribution is the same, but a given seed maps to a different token on the
 * two paths (on each path, always the same one).
 */
public final class HostSampler {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private HostSampler() {}

  /**
   * @param logits [rows, vocab]
   * @param uniforms one number in [0, 1) per row (unused when greedy)
   * @return ids [rows]
   */
  public static long[] sample(float[] logits, int vocab, Decoder.Sampling params, double[] uniforms) {
    int rows = logits.length / vocab;
    long[] ids = new long[rows];
    float[] weights = new float[vocab];
    for (int r = 0; r < rows; r++) {
      ids[r] = params.temperature() == 0 ? argmax(logits, r * vocab, vocab)
          : draw(logits, r * vocab, vocab, params, uniforms[r], weights);
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

  private static int draw(float[] logits, int offset, int vocab, Decoder.Sampling params, double u, float[] w) {
    softmaxWeights(logits, offset, vocab, (float) (1.0 / params.temperature()), w);
    boolean[] kept = kept(w, params.topK(), params.topP());
    double total = 0;
    for (int v = 0; v < vocab; v++) {
      if (kept == null || kept[v]) {
        total += w[v];
      }
    }
    double target = u * total;
    double cumulative = 0;
    int last = -1;
    for (int v = 0; v < vocab; v++) {
      if (kept == null || kept[v]) {
        cumulative += w[v];
        last = v;
        if (cumulative > target) {
          return v;
        }
      }
    }
    return last; // rounding: u * total came out at the very top
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
    boolean byK = topK > 0 && topK < vocab;
    if (!byK && topP >= 1) {
      return null;
    }
    int[] ids = new int[vocab];
    for (int v = 0; v < vocab; v++) {
      ids[v] = v;
    }
    int n = vocab;
    if (byK) {
      n = cut(w, ids, n, topK, -1);
    }
    if (topP < 1) {
      double mass = 0;
      for (int i = 0; i < n; i++) {
        mass += w[ids[i]];
      }
      n = cut(w, ids, n, -1, topP * mass);
    }
    boolean[] kept = new boolean[vocab];
    for (int i = 0; i < n; i++) {
      kept[ids[i]] = true;
    }
    return kept;
  }

  /**
   * Reorders {@code ids[0 .. n)} so that the tokens kept come first, and returns how many: the
   * {@code count} largest weights (count >= 0), or the shortest descending prefix whose weight
   * reaches {@code mass}. Ties at the cut-off are taken in id order. Radix selection over the
   * weights' bits: every kept token's bits are above the boundary bucket's, or in it.
   */
  private static int cut(float[] w, int[] ids, int n, int count, double mass) {
    int[] undecided = java.util.Arrays.copyOf(ids, n);
    int left = n;
    int[] kept = new int[n];
    int keptCount = 0;
    double keptMass = 0;
    for (int shift = 22; shift >= 0 && left > 0; shift -= 11) { // bits 30..22 (the sign is 0), 21..11, 10..0
      int[] bucketCount = new int[2048];
      double[] bucketMass = new double[2048];
      for (int i = 0; i < left; i++) {
        int b = (Float.floatToRawIntBits(w[undecided[i]]) >>> shift) & 2047;
        bucketCount[b]++;
        bucketMass[b] += w[undecided[i]];
      }
      int boundary = -1; // -1: the cut is never reached, everything is kept
      int aboveCount = keptCount;
      double aboveMass = keptMass;
      for (int b = 2047; b >= 0; b--) {
        if (count >= 0 ? aboveCount + bucketCount[b] >= count : aboveMass + bucketMass[b] >= mass) {
          boundary = b;
          break;
        }
        aboveCount += bucketCount[b];
        aboveMass += bucketMass[b];
      }
      int next = 0;
      for (int i = 0; i < left; i++) {
        int id = undecided[i];
        int b = (Float.floatToRawIntBits(w[id]) >>> shift) & 2047;
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
