package dev.llmsweep.engine.openai;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * When the requests of an open-loop point arrive, as offsets in nanoseconds from the point's start:
 * Poisson arrivals (independent exponential gaps of mean {@code 1 / rate}, from a seeded generator,
 * so a point sends the same schedule on every run and executor) or constant ones ({@code 1 / rate}
 * apart). The first request arrives at the first gap (Poisson) or at 0 (constant).
 */
public enum Arrivals {
  POISSON,
  CONSTANT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The job-file spelling's value; null when it is neither {@code poisson} nor {@code constant}.
   */
  public static Arrivals parse(String s) {
    for (Arrivals a : values()) {
      if (a.label().equals(s)) {
        return a;
      }
    }
    return null;
  }

  /** The offsets of {@code count} arrivals at {@code ratePerSecond}. */
  public long[] offsetsNanos(double ratePerSecond, int count, long seed) {
    return schedule(ratePerSecond, count, Double.POSITIVE_INFINITY, seed);
  }

  /** The offsets of the arrivals within {@code seconds} at {@code ratePerSecond}. */
  public long[] offsetsWithinNanos(double ratePerSecond, double seconds, long seed) {
    return schedule(ratePerSecond, Integer.MAX_VALUE, seconds, seed);
  }

  private long[] schedule(double rate, int count, double seconds, long seed) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("request_rate must be > 0 requests/s, got " + rate);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    long[] out = new long[Math.min(count, 1024)];
    int n = 0;
    double t = 0;
    for (int i = 0; i < count; i++) {
      if (this == POISSON) {
        t += -Math.log(1 - rng.nextDouble()) / rate; // 1 - u is in (0, 1]: no log(0)
      } else if (i > 0) {
        t += 1 / rate;
      }
      if (t >= seconds) {
        break;
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = (long) (t * 1e9);
    }
    return Arrays.copyOf(out, n);
  }
}
