package dev.llmsweep.engine.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Open-loop arrival schedules: Poisson at the right mean rate, constant exactly, seeded. */
class ArrivalsTest {

  /**
   * 20,000 Poisson arrivals at 50/s: the achieved rate n / T has standard deviation rate / sqrt(n)
   * (0.35/s), so 5 sigma is a bound a correct generator misses once in ~3.5 million runs, while a
   * wrong mean (say gaps of 1 / (2 rate), or uniform gaps of mean 1 / rate: right mean, wrong
   * shape) fails the rate or the dispersion check.
   */
  @Test
  void poissonArrivalsHaveTheRequestedMeanRateAndExponentialGaps() {
    double rate = 50;
    int n = 20_000;
    for (long seed : new long[] {1, 2, 3}) {
      long[] t = Arrivals.POISSON.offsetsNanos(rate, n, seed);
      assertEquals(n, t.length);
      double achieved = n / (t[n - 1] / 1e9);
      assertEquals(rate, achieved, 5 * rate / Math.sqrt(n), "achieved rate, seed " + seed);
      double[] gaps = new double[n];
      gaps[0] = t[0] / 1e9;
      for (int i = 1; i < n; i++) {
        gaps[i] = (t[i] - t[i - 1]) / 1e9;
        assertTrue(gaps[i] >= 0, "arrivals in order");
      }
      double mean = Arrays.stream(gaps).average().orElseThrow();
      double sd = Math.sqrt(Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / (n - 1));
      // exponential gaps: coefficient of variation 1 (its estimate's sd is about 1/sqrt(n))
      assertEquals(1.0, sd / mean, 5 / Math.sqrt(n), "coefficient of variation, seed " + seed);
      // and P(gap > mean) = 1/e
      double above = Arrays.stream(gaps).filter(g -> g > 1 / rate).count() / (double) n;
      assertEquals(
          Math.exp(-1),
          above,
          5 * Math.sqrt(Math.exp(-1) * (1 - Math.exp(-1)) / n),
          "seed " + seed);
    }
  }

  @Test
  void aSeedGivesTheSameScheduleEveryTime() {
    assertArrayEquals(
        Arrivals.POISSON.offsetsNanos(10, 100, 7), Arrivals.POISSON.offsetsNanos(10, 100, 7));
    assertFalse(
        Arrays.equals(
            Arrivals.POISSON.offsetsNanos(10, 100, 7), Arrivals.POISSON.offsetsNanos(10, 100, 8)));
  }

  @Test
  void constantArrivalsAreEvenlySpacedAndADurationBoundsTheCount() {
    assertArrayEquals(
        new long[] {0, 250_000_000, 500_000_000, 750_000_000},
        Arrivals.CONSTANT.offsetsNanos(4, 4, 1));
    assertEquals(
        8, Arrivals.CONSTANT.offsetsWithinNanos(4, 2.0, 1).length, "4/s for 2 s, from t = 0");
    long[] poisson = Arrivals.POISSON.offsetsWithinNanos(100, 30, 5);
    assertEquals(3000, poisson.length, 5 * Math.sqrt(3000), "a Poisson count of mean 3000");
    assertTrue(poisson[poisson.length - 1] < 30_000_000_000L);
  }
}
