package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmsweep.model.cpu.HostSampler;
import dev.llmsweep.model.torchscript.ScriptDecoder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both samplers, the TorchScript step's on the device ({@link ScriptDecoder#sample}) and the CPU
 * kernels' on the host ({@link HostSampler}), against the distributions they must draw from, on a
 * fixed logit vector; and the host sampler's top-k/top-p cut-offs against a plain sort on large
 * random vocabularies.
 */
class SamplerTest {
  private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, 1.5f, -0.5f, 0.25f};
  private static final int DRAWS = 40_000;

  @BeforeAll
  static void offline() {
    Offline.apply();
  }

  private static long[] draw(SamplingParams params, boolean host) {
    float[] rows = new float[DRAWS * LOGITS.length];
    for (int r = 0; r < DRAWS; r++) {
      System.arraycopy(LOGITS, 0, rows, r * LOGITS.length, LOGITS.length);
    }
    SplittableRandom rng = new SplittableRandom(7);
    double[] u = new double[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      u[i] = rng.nextDouble();
    }
    if (host) {
      return HostSampler.sample(rows, LOGITS.length, params.toSampling(), u);
    }
    return ScriptDecoder.sample(rows, LOGITS.length, params.toSampling(), u);
  }

  /** softmax(logits / t), restricted to the kept ids and renormalised. */
  private static double[] expected(double t, boolean[] keep) {
    double[] p = new double[LOGITS.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = keep[i] ? Math.exp(LOGITS[i] / t) : 0;
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static void assertFrequencies(double[] expected, long[] ids) {
    long[] counts = new long[expected.length];
    for (long id : ids) {
      counts[(int) id]++;
    }
    double chi2 = 0;
    int dof = -1;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] == 0) {
        assertEquals(0, counts[i], "token " + i + " is filtered out but was drawn");
        continue;
      }
      double e = expected[i] * ids.length;
      chi2 += (counts[i] - e) * (counts[i] - e) / e;
      dof++;
    }
    // 99.9th percentile of chi-square with <= 7 degrees of freedom is 24.3
    assertTrue(
        chi2 < 24.3,
        "chi-square "
            + chi2
            + " with "
            + dof
            + " dof; counts "
            + java.util.Arrays.toString(counts));
  }

  private static boolean[] all(boolean value) {
    boolean[] b = new boolean[LOGITS.length];
    java.util.Arrays.fill(b, value);
    return b;
  }

  @ParameterizedTest(name = "host sampler: {0}")
  @ValueSource(booleans = {false, true})
  void sampledFrequenciesMatchTheSoftmax(boolean host) {
    assertFrequencies(expected(1.0, all(true)), draw(new SamplingParams(1.0, 1.0, 0, 1), host));
  }

  @ParameterizedTest(name = "host sampler: {0}")
  @ValueSource(booleans = {false, true})
  void temperatureSharpensTheDistribution(boolean host) {
    assertFrequencies(expected(0.5, all(true)), draw(new SamplingParams(0.5, 1.0, 0, 1), host));
  }

  @ParameterizedTest(name = "host sampler: {0}")
  @ValueSource(booleans = {false, true})
  void topKKeepsTheKMostLikelyRenormalised(boolean host) {
    boolean[] keep = all(false);
    keep[0] = true; // 2.0
    keep[5] = true; // 1.5
    keep[1] = true; // 1.0
    assertFrequencies(expected(1.0, keep), draw(new SamplingParams(1.0, 1.0, 3, 1), host));
  }

  @ParameterizedTest(name = "host sampler: {0}")
  @ValueSource(booleans = {false, true})
  void topPKeepsTheSmallestPrefixReachingTheMass(boolean host) {
    double[] full = expected(1.0, all(true));
    // descending order: 0 (2.0), 5 (1.5), 1 (1.0), 2 (0.5), 7 (0.25), 3, 6, 4
    int[] order = {0, 5, 1, 2, 7, 3, 6, 4};
    boolean[] keep = all(false);
    double before = 0;
    for (int id : order) {
      if (before < 0.8) {
        keep[id] = true;
      }
      before += full[id];
    }
    assertFrequencies(expected(1.0, keep), draw(new SamplingParams(1.0, 0.8, 0, 1), host));
  }

  @ParameterizedTest(name = "host sampler: {0}")
  @ValueSource(booleans = {false, true})
  void topKOfOneAndATinyTopPAreGreedy(boolean host) {
    long[] greedy = draw(SamplingParams.greedy(), host);
    long[] topK1 = draw(new SamplingParams(1.3, 1.0, 1, 5), host);
    long[] tinyTopP = draw(new SamplingParams(1.3, 1e-6, 0, 5), host);
    assertEquals(0, greedy[0]);
    assertArrayEquals(greedy, topK1);
    assertArrayEquals(greedy, tinyTopP);
  }

  @Test
  void hostArgmaxAgreesWithPyTorchsIncludingTiesAndNegativeRows() {
    float[] logits = {
      0.1f, 2.0f, 2.0f, -1f, // tie: the first of the largest, as PyTorch
      -5f, -3f, -4f, -9f, // every value negative
      7f, 1f, 1f, 7.5f // the largest last
    };
    long[] host =
        HostSampler.sample(logits, 4, SamplingParams.greedy().toSampling(), new double[3]);
    try (NDManager m = NDManager.newBaseManager()) {
      long[] torch = m.create(logits, new Shape(3, 4)).argMax(-1).toLongArray();
      assertArrayEquals(torch, host);
    }
    assertArrayEquals(new long[] {1, 1, 3}, host);
  }

  @Test
  void hostCutOffsMatchAPlainSortOnLargeVocabularies() {
    SplittableRandom rng = new SplittableRandom(11);
    int vocab = 6000;
    int[][] filters = {
      {0, 90}, {40, 100}, {0, 50}, {700, 95}, {1, 100}, {0, 99}, {5999, 100}, {300, 30}
    };
    for (int trial = 0; trial < 24; trial++) {
      float[] logits = new float[vocab];
      double spread = trial % 3 == 0 ? 0.05 : trial % 3 == 1 ? 1.0 : 4.0; // flat, moderate, peaked
      for (int v = 0; v < vocab; v++) {
        logits[v] = (float) (rng.nextGaussian() * spread);
      }
      for (int v = 0; v < vocab; v += 97) {
        logits[v] = logits[0]; // ties, at the top and at cut-offs
      }
      float[] w = new float[vocab];
      HostSampler.softmaxWeights(logits, 0, vocab, 1 / 0.8f, w);
      for (int[] f : filters) {
        int topK = f[0];
        double topP = f[1] / 100.0;
        boolean[] actual = HostSampler.kept(w, topK, topP);
        boolean[] expected = keptBySorting(w, topK, topP);
        if (expected == null) {
          assertEquals(null, actual);
          continue;
        }
        for (int v = 0; v < vocab; v++) {
          assertEquals(
              expected[v],
              actual[v],
              "trial " + trial + ", top_k " + topK + ", top_p " + topP + ", token " + v);
        }
      }
    }
  }

  /**
   * A batch reuses one {@link HostSampler.Scratch} for every row and step, across settings as a
   * run's points change them: each draw must be the one a fresh scratch gives (nothing left marked
   * or counted from the draw before).
   */
  @Test
  void aReusedScratchDrawsAsAFreshOne() {
    SplittableRandom rng = new SplittableRandom(5);
    int vocab = 259;
    int rows = 3;
    dev.llmsweep.model.Decoder.Sampling[] modes = {
      new dev.llmsweep.model.Decoder.Sampling(0.7, 0, 0.9),
          new dev.llmsweep.model.Decoder.Sampling(1.3, 0, 1),
      new dev.llmsweep.model.Decoder.Sampling(0, 0, 1),
          new dev.llmsweep.model.Decoder.Sampling(1.0, 5, 0.8),
      new dev.llmsweep.model.Decoder.Sampling(0.7, 0, 0.3)
    };
    HostSampler.Scratch reused = new HostSampler.Scratch(vocab);
    for (int step = 0; step < 200; step++) {
      float[] logits = new float[rows * vocab];
      double spread = step % 2 == 0 ? 0.05 : 4.0;
      for (int v = 0; v < logits.length; v++) {
        logits[v] = (float) (rng.nextGaussian() * spread);
      }
      double[] u = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      var mode = modes[step % modes.length];
      assertArrayEquals(
          HostSampler.sample(logits, vocab, mode, u, new HostSampler.Scratch(vocab)),
          HostSampler.sample(logits, vocab, mode, u, reused),
          "step " + step + ", " + mode);
    }
  }

  @Test
  void hostCutOffsTakeTiesInIdOrder() {
    // weights 4, 2, 2, 2, 1 (as logits: log2 steps at temperature 1)
    float ln2 = (float) Math.log(2);
    float[] logits = {2 * ln2, ln2, ln2, ln2, 0, -20, -20};
    float[] w = new float[logits.length];
    HostSampler.softmaxWeights(logits, 0, logits.length, 1f, w);
    assertArrayEquals(
        new boolean[] {true, true, false, false, false, false, false}, HostSampler.kept(w, 2, 1.0));
    assertArrayEquals(
        new boolean[] {true, true, true, false, false, false, false}, HostSampler.kept(w, 3, 1.0));
    // total 11: the mass ahead of id 2 is 6/11 (< 0.6), of id 3 is 8/11 (>= 0.6)
    assertArrayEquals(
        new boolean[] {true, true, true, false, false, false, false}, HostSampler.kept(w, 0, 0.6));
    assertArrayEquals(keptBySorting(w, 0, 0.6), HostSampler.kept(w, 0, 0.6));
  }

  /**
   * The rule written plainly: sort descending (ties by id), top-k, renormalise, top-p by mass
   * ahead.
   */
  private static boolean[] keptBySorting(float[] w, int topK, double topP) {
    int vocab = w.length;
    if (!(topK > 0 && topK < vocab) && topP >= 1) {
      return null;
    }
    Integer[] order = new Integer[vocab];
    for (int v = 0; v < vocab; v++) {
      order[v] = v;
    }
    java.util.Arrays.sort(
        order, (a, b) -> w[a] != w[b] ? Float.compare(w[b], w[a]) : Integer.compare(a, b));
    int n = topK > 0 && topK < vocab ? topK : vocab;
    double mass = 0;
    for (int i = 0; i < n; i++) {
      mass += w[order[i]];
    }
    boolean[] kept = new boolean[vocab];
    double before = 0;
    for (int i = 0; i < n; i++) {
      if (topP >= 1 || before < topP * mass) {
        kept[order[i]] = true;
      }
      before += w[order[i]];
    }
    return kept;
  }
}
