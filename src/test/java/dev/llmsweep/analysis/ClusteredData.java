package dev.llmsweep.analysis;

import java.util.SplittableRandom;

/**
 * Seeded latency samples clustered as a static batch makes them: each generate call draws one
 * shared value (its prefill: log-normal around {@code median}), and each of its requests adds its
 * own small normal noise. The true quantiles of one request's value are known exactly (by numerical
 * integration over the call's distribution), so tests can check interval coverage and comparison
 * verdicts against the truth.
 *
 * @param median median of a call's shared value, in ms
 * @param sigma log-normal shape of the call's shared value
 * @param noise standard deviation of each request's own noise, in ms
 */
public record ClusteredData(double median, double sigma, double noise) {

  /** {@code calls x batch} samples, call by call; {@code call[i]} receives sample i's call. */
  public double[] draw(SplittableRandom rng, int calls, int batch, int[] call) {
    double[] out = new double[calls * batch];
    for (int c = 0; c < calls; c++) {
      double shared = median * Math.exp(sigma * gaussian(rng));
      for (int r = 0; r < batch; r++) {
        out[c * batch + r] = shared + noise * gaussian(rng);
        if (call != null) {
          call[c * batch + r] = c;
        }
      }
    }
    return out;
  }

  /** The true quantile p of one request's value. */
  public double quantile(double p) {
    double lo = 0;
    double hi = median * Math.exp(8 * sigma) + 10 * noise;
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /**
   * P(value <= x): the normal noise's CDF averaged over the call's log-normal value (midpoint rule
   * in z).
   */
  double cdf(double x) {
    int steps = 4000;
    double sum = 0;
    double weight = 0;
    for (int i = 0; i < steps; i++) {
      double z = -8 + 16 * (i + 0.5) / steps;
      double w = Math.exp(-z * z / 2);
      sum += w * normalCdf((x - median * Math.exp(sigma * z)) / noise);
      weight += w;
    }
    return sum / weight;
  }

  static double gaussian(SplittableRandom rng) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  static double normalCdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
