package dev.llmsweep.model.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmsweep.model.LlamaConfig;
import dev.llmsweep.model.RopeScaling;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CPU attention against a plain double-precision softmax(q k^T) v over the keys each query may
 * see: left padding per row, causality, the sliding window, grouped heads, head widths that are not
 * a whole number of vectors, decode (one token after a filled cache) and prefill, and sizes large
 * enough to split across threads.
 */
class HostAttentionTest {

  @ParameterizedTest(
      name = "batch {0}, heads {1}/{2}, headDim {3}, start {4}, tokens {5}, window {6}")
  @CsvSource({
    "1, 4, 2, 16, 0, 7, 0",
    "3, 8, 2, 24, 0, 20, 0",
    "3, 8, 2, 24, 37, 1, 0",
    "4, 6, 6, 64, 50, 1, 9",
    "2, 4, 1, 64, 0, 45, 16",
    "32, 12, 12, 64, 70, 1, 0",
    "5, 8, 4, 40, 13, 3, 0"
  })
  void matchesAPlainSoftmaxOverTheVisibleKeys(
      int batch, int heads, int kvHeads, int d, int start, int tokens, int window) {
    int layers = 2;
    int capacity = start + tokens + 5;
    LlamaConfig config =
        new LlamaConfig(
            "LlamaForCausalLM",
            100,
            heads * d,
            64,
            layers,
            heads,
            kvHeads,
            d,
            1e-6,
            RopeScaling.plain(10000),
            capacity,
            window,
            false,
            1,
            new int[] {2},
            0);
    SplittableRandom rng = new SplittableRandom(batch * 1000L + heads * 10L + d);
    int fused = heads + 2 * kvHeads;
    int[] firstKey = new int[batch];
    for (int r = 0; r < batch; r++) {
      firstKey[r] = rng.nextInt(Math.max(1, Math.min(start + tokens, 12))); // some rows padded
    }
    // the whole history: rows x positions x (h + 2kv) x d, written as prefill then this step
    float[] history = new float[batch * (start + tokens) * fused * d];
    for (int i = 0; i < history.length; i++) {
      history[i] = (float) rng.nextGaussian();
    }
    KvCache cache = new KvCache(config, batch, capacity);
    int layer = 1;
    if (start > 0) {
      float[] before = slice(history, batch, start + tokens, fused * d, 0, start);
      for (int r = 0; r < batch; r++) {
        for (int g = 0; g < kvHeads; g++) {
          cache.write(layer, before, heads, 0, start, r, g);
        }
      }
    }
    float[] step =
        slice(
            history, batch, start + tokens, fused * d, start, start + tokens); // written by attend
    StepContext context = new StepContext(batch, tokens, start, null, null, firstKey, window);
    float[] out = HostAttention.attend(step, cache, layer, context, heads);

    for (int r = 0; r < batch; r++) {
      for (int i = 0; i < tokens; i++) {
        int position = start + i;
        int first = window > 0 ? Math.max(firstKey[r], position - window + 1) : firstKey[r];
        for (int h = 0; h < heads; h++) {
          int kv = h / (heads / kvHeads);
          double[] expected =
              reference(
                  history,
                  r,
                  start + tokens,
                  fused,
                  d,
                  position,
                  first,
                  h,
                  heads + kv,
                  heads + kvHeads + kv);
          for (int c = 0; c < d; c++) {
            float actual = out[((r * tokens + i) * heads + h) * d + c];
            assertEquals(
                expected[c],
                actual,
                1e-5,
                "row " + r + ", token " + i + ", head " + h + ", dim " + c);
          }
        }
      }
    }
  }

  /** Tokens {@code [from, to)} of every row of {@code all} [batch, positions, width]. */
  private static float[] slice(float[] all, int batch, int positions, int width, int from, int to) {
    float[] out = new float[batch * (to - from) * width];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(
          all, (r * positions + from) * width, out, r * (to - from) * width, (to - from) * width);
    }
    return out;
  }

  private static double[] reference(
      float[] history,
      int r,
      int positions,
      int fused,
      int d,
      int position,
      int first,
      int qHead,
      int kHead,
      int vHead) {
    double[] out = new double[d];
    if (first > position) {
      return out; // a padding query sees nothing
    }
    int token = r * positions;
    double[] scores = new double[position + 1];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = first; j <= position; j++) {
      double s = 0;
      for (int c = 0; c < d; c++) {
        s +=
            (double) history[((token + position) * fused + qHead) * d + c]
                * history[((token + j) * fused + kHead) * d + c];
      }
      scores[j] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int j = first; j <= position; j++) {
      scores[j] = Math.exp(scores[j] - max);
      sum += scores[j];
    }
    for (int j = first; j <= position; j++) {
      for (int c = 0; c < d; c++) {
        out[c] += scores[j] / sum * history[((token + j) * fused + vHead) * d + c];
      }
    }
    return out;
  }
}
