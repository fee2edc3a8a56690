package dev.llmsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device-side sampler against the distributions it must draw from, on a fixed logit vector. */
class SamplerTest {
  private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, 1.5f, -0.5f, 0.25f};
  private static final int DRAWS = 40_000;

  @BeforeAll
  static void offline() {
    Offline.apply();
  }

  private static long[] draw(SamplingParams params) {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] rows = new float[DRAWS * LOGITS.length];
      for (int r = 0; r < DRAWS; r++) {
        System.arraycopy(LOGITS, 0, rows, r * LOGITS.length, LOGITS.length);
      }
      NDArray logits = m.create(rows, new Shape(DRAWS, LOGITS.length));
      SplittableRandom rng = new SplittableRandom(7);
      double[] u = new double[DRAWS];
      for (int i = 0; i < DRAWS; i++) {
        u[i] = rng.nextDouble();
      }
      return new Sampler(params).sample(logits, u).toLongArray();
    }
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
    assertTrue(chi2 < 24.3, "chi-square " + chi2 + " with " + dof + " dof; counts " + java.util.Arrays.toString(counts));
  }

  private static boolean[] all(boolean value) {
    boolean[] b = new boolean[LOGITS.length];
    java.util.Arrays.fill(b, value);
    return b;
  }

  @Test
  void sampledFrequenciesMatchTheSoftmax() {
    assertFrequencies(expected(1.0, all(true)), draw(new SamplingParams(1.0, 1.0, 0, 1)));
  }

  @Test
  void temperatureSharpensTheDistribution() {
    assertFrequencies(expected(0.5, all(true)), draw(new SamplingParams(0.5, 1.0, 0, 1)));
  }

  @Test
  void topKKeepsTheKMostLikelyRenormalised() {
    boolean[] keep = all(false);
    keep[0] = true; // 2.0
    keep[5] = true; // 1.5
    keep[1] = true; // 1.0
    assertFrequencies(expected(1.0, keep), draw(new SamplingParams(1.0, 1.0, 3, 1)));
  }

  @Test
  void topPKeepsTheSmallestPrefixReachingTheMass() {
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
    assertFrequencies(expected(1.0, keep), draw(new SamplingParams(1.0, 0.8, 0, 1)));
  }

  @Test
  void topKOfOneAndATinyTopPAreGreedy() {
    long[] greedy = draw(SamplingParams.greedy());
    long[] topK1 = draw(new SamplingParams(1.3, 1.0, 1, 5));
    long[] tinyTopP = draw(new SamplingParams(1.3, 1e-6, 0, 5));
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
    long[] host = Sampler.argmax(logits, 4);
    try (NDManager m = NDManager.newBaseManager()) {
      long[] torch = m.create(logits, new Shape(3, 4)).argMax(-1).toLongArray();
      assertArrayEquals(torch, host);
    }
    assertArrayEquals(new long[] {1, 1, 3}, host);
  }
}
