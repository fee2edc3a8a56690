package dev.llmsweep.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention on CPU over a {@link KvCache} held in Java arrays, for prefill and
 * decode alike: {@code softmax(q k^T) v} per query head (q comes pre-scaled by 1/sqrt(headDim)),
 * each query seeing the keys from its row's first real token (left padding excluded) up to its own
 * position, and no further back than the sliding window.
 *
 * <p>Why not PyTorch: at decode a batch of 32 makes 384 tiny matrix products per layer, which
 * PyTorch runs one MKL call at a time (7 ms per step each for scores and values on this 2-core
 * machine); here each (row, head) streams its keys and values once with vector FMAs, split across
 * one thread per core. Keys are stored in blocks of {@link #LANES} positions, each block [headDim,
 * LANES], so that one (row, head)'s keys are one contiguous run and scores come out a vector of
 * positions at a time; values are [positions, headDim], read a vector of headDim at a time. Masked
 * keys get probability zero exactly, as with PyTorch's additive mask. Work is split by (row, kv
 * head): each writes its new keys and values into the cache right before its query heads read them,
 * so the freshly written lines are still in the core's cache (writing the whole step first cost 2
 * ms per decode step at batch 32).
 */
final class HostAttention {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Positions per key block. */
  static final int LANES = SPECIES.length();

  /**
   * Below this many multiply-adds (about 50 µs of work on one core) a call stays on the calling
   * thread: a part handed to a worker that another thread of the JVM (the JIT, the GC, Spark's) has
   * taken off its core waits for it, up to a scheduler slice of several ms, and 1 << 17 made the
   * built-in tiny model's batch-64 decode step 2.5x slower on 2 busy cores.
   */
  private static final long PARALLEL_MIN_MACS = 1L << 19;

  private HostAttention() {}

  /** Positions the cache holds per (row, kv head): the capacity rounded up to whole key blocks. */
  static int stride(int capacity) {
    return (capacity + LANES - 1) / LANES * LANES;
  }

  /**
   * Writes this step's keys and values into layer {@code layer} of the cache and attends.
   *
   * @param qkv [batch, tokens, heads + 2 * kvHeads, headDim], rotated
   * @param step the step's batch, tokens, start position, first real key per row and window
   * @return [batch, tokens, heads * headDim]
   */
  static float[] attend(float[] qkv, KvCache cache, int layer, StepContext step, int heads) {
    int batch = (int) step.batch();
    int tokens = (int) step.tokens();
    int kvHeads = cache.kvHeads();
    int group = heads / kvHeads;
    float[] out = new float[batch * tokens * heads * cache.headDim()];
    int units = batch * kvHeads;
    long macs = (long) batch * heads * tokens * (step.start() + tokens) * cache.headDim() * 2;
    int parts = macs < PARALLEL_MIN_MACS ? 1 : Math.min(HostThreads.COUNT, units);
    HostThreads.run(
        parts,
        part -> {
          float[] scores = new float[cache.stride()];
          for (int unit = units * part / parts; unit < units * (part + 1) / parts; unit++) {
            int r = unit / kvHeads;
            int kv = unit % kvHeads;
            cache.write(layer, qkv, heads, step.start(), tokens, r, kv);
            for (int head = kv * group; head < (kv + 1) * group; head++) {
              for (int i = 0; i < tokens; i++) {
                query(qkv, cache, layer, step, heads, r, head, i, scores, out);
              }
            }
          }
        });
    return out;
  }

  /** Query token {@code i} of row {@code r}, head {@code head}. */
  private static void query(
      float[] qkv,
      KvCache cache,
      int layer,
      StepContext step,
      int heads,
      int r,
      int head,
      int i,
      float[] scores,
      float[] out) {
    int d = cache.headDim();
    int kvHeads = cache.kvHeads();
    int kv = head / (heads / kvHeads);
    int tokens = (int) step.tokens();
    int position = step.start() + i; // cache index of this query
    int first = step.firstKey()[r];
    if (step.slidingWindow() > 0) {
      first = Math.max(first, position - step.slidingWindow() + 1);
    }
    if (first > position) {
      return; // a padding query that sees no key: its output is never read by a real token
    }
    int qOffset = ((r * tokens + i) * (heads + 2 * kvHeads) + head) * d;
    int outOffset = ((r * tokens + i) * heads + head) * d;
    int unit = r * kvHeads + kv;
    int start = first / LANES * LANES; // scores are computed from the key block holding `first`
    int width = (position + 1 - start + LANES - 1) / LANES * LANES;
    dotKeys(qkv, qOffset, cache.keys(layer), (unit * cache.stride() + start) * d, d, width, scores);
    float sum = softmax(scores, first - start, position + 1 - start, width);
    weighValues(
        scores,
        first - start,
        position + 1 - start,
        cache.values(layer),
        (unit * cache.stride() + start) * d,
        d,
        1 / sum,
        out,
        outOffset);
  }

  /**
   * {@code scores[j] = q . k[j]} for {@code j < width}, over key blocks [headDim, LANES] stored one
   * after another from {@code base}.
   */
  private static void dotKeys(
      float[] q, int qOffset, float[] keys, int base, int d, int width, float[] scores) {
    int block = d * LANES;
    int j = 0;
    for (; j + 4 * LANES <= width; j += 4 * LANES) {
      FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
      for (int k = 0, row = base + j * d; k < d; k++, row += LANES) {
        FloatVector qk = FloatVector.broadcast(SPECIES, q[qOffset + k]);
        a0 = FloatVector.fromArray(SPECIES, keys, row).fma(qk, a0);
        a1 = FloatVector.fromArray(SPECIES, keys, row + block).fma(qk, a1);
        a2 = FloatVector.fromArray(SPECIES, keys, row + 2 * block).fma(qk, a2);
        a3 = FloatVector.fromArray(SPECIES, keys, row + 3 * block).fma(qk, a3);
      }
      a0.intoArray(scores, j);
      a1.intoArray(scores, j + LANES);
      a2.intoArray(scores, j + 2 * LANES);
      a3.intoArray(scores, j + 3 * LANES);
    }
    for (; j < width; j += LANES) {
      FloatVector a = FloatVector.zero(SPECIES);
      for (int k = 0, row = base + j * d; k < d; k++, row += LANES) {
        a =
            FloatVector.fromArray(SPECIES, keys, row)
                .fma(FloatVector.broadcast(SPECIES, q[qOffset + k]), a);
      }
      a.intoArray(scores, j);
    }
  }

  /**
   * Turns {@code scores[from .. to)} into unnormalised probabilities and the rest of the {@code
   * width} computed into zeros; returns their sum.
   */
  private static float softmax(float[] scores, int from, int to, int width) {
    for (int j = 0; j < from; j++) {
      scores[j] = Float.NEGATIVE_INFINITY; // masked: before the row's first real key or the window
    }
    for (int j = to; j < width; j++) {
      scores[j] =
          Float.NEGATIVE_INFINITY; // positions past the query, computed only to fill the vector
    }
    FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    for (int j = 0; j < width; j += LANES) {
      max = max.max(FloatVector.fromArray(SPECIES, scores, j));
    }
    FloatVector top = FloatVector.broadcast(SPECIES, max.reduceLanes(VectorOperators.MAX));
    FloatVector sum = FloatVector.zero(SPECIES);
    for (int j = 0; j < width; j += LANES) {
      FloatVector p =
          FloatVector.fromArray(SPECIES, scores, j).sub(top).lanewise(VectorOperators.EXP);
      p.intoArray(scores, j);
      sum = sum.add(p);
    }
    return sum.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code out[c] = scale * sum_{from <= j < to} p[j] v[j][c]}; values [positions, headDim] from
   * {@code base}.
   */
  private static void weighValues(
      float[] p,
      int from,
      int to,
      float[] values,
      int base,
      int d,
      float scale,
      float[] out,
      int outOffset) {
    int c = 0;
    for (; c + 4 * LANES <= d; c += 4 * LANES) {
      FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
      for (int j = from, row = base + from * d + c; j < to; j++, row += d) {
        FloatVector pj = FloatVector.broadcast(SPECIES, p[j]);
        a0 = FloatVector.fromArray(SPECIES, values, row).fma(pj, a0);
        a1 = FloatVector.fromArray(SPECIES, values, row + LANES).fma(pj, a1);
        a2 = FloatVector.fromArray(SPECIES, values, row + 2 * LANES).fma(pj, a2);
        a3 = FloatVector.fromArray(SPECIES, values, row + 3 * LANES).fma(pj, a3);
      }
      a0.mul(scale).intoArray(out, outOffset + c);
      a1.mul(scale).intoArray(out, outOffset + c + LANES);
      a2.mul(scale).intoArray(out, outOffset + c + 2 * LANES);
      a3.mul(scale).intoArray(out, outOffset + c + 3 * LANES);
    }
    for (; c + LANES <= d; c += LANES) {
      FloatVector a = FloatVector.zero(SPECIES);
      for (int j = from, row = base + from * d + c; j < to; j++, row += d) {
        a =
            FloatVector.fromArray(SPECIES, values, row)
                .fma(FloatVector.broadcast(SPECIES, p[j]), a);
      }
      a.mul(scale).intoArray(out, outOffset + c);
    }
    for (; c < d; c++) {
      float a = 0;
      for (int j = from, row = base + from * d + c; j < to; j++, row += d) {
        a += p[j] * values[row];
      }
      out[outOffset + c] = a * scale;
    }
  }
}
