package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The intervals of the {@code points} table are real 95% intervals for data clustered as a static
 * batch clusters it (one shared prefill per generate call plus per-request noise): over many
 * simulated points (seeded), 93-97% of the p50 and of the p99 intervals contain the true quantile.
 * An interval that counted requests as independent covers far less (checked too), and the
 * small-sample flag counts calls.
 */
class ClusteredIntervalTest {
  private static final ClusteredData TTFT = new ClusteredData(20, 0.15, 0.3);
  private static final int POINTS = 1000;

  @Test
  void p50IntervalsOfClusteredSamplesCoverAbout95Percent() {
    // 40 calls of 8 requests: 320 samples but only 40 independent draws
    double truth = TTFT.quantile(0.5);
    double clustered = coverage(0.5, truth, 40, 8, true);
    assertTrue(clustered >= 0.93 && clustered <= 0.97, "p50 coverage " + clustered);
    double naive = coverage(0.5, truth, 40, 8, false);
    assertTrue(
        naive < 0.7, "counting requests as independent should cover far less than 95%: " + naive);
  }

  @Test
  void p99IntervalsOfClusteredSamplesCoverAbout95Percent() {
    // enough calls for both bounds of a p99 (about 400 independent draws are needed)
    double truth = TTFT.quantile(0.99);
    double clustered = coverage(0.99, truth, 600, 4, true);
    assertTrue(clustered >= 0.93 && clustered <= 0.97, "p99 coverage " + clustered);
  }

  /** Fraction of POINTS simulated points whose interval contains the truth (both bounds needed). */
  private static double coverage(double p, double truth, int calls, int batch, boolean byCall) {
    SplittableRandom rng = new SplittableRandom(42);
    int covered = 0;
    int[] call = new int[calls * batch];
    int[] each = new int[calls * batch];
    for (int i = 0; i < each.length; i++) {
      each[i] = i;
    }
    for (int k = 0; k < POINTS; k++) {
      double[] values = TTFT.draw(rng, calls, batch, call);
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double[] ci =
          byCall
              ? ClusteredQuantile.interval(sorted, values, call, calls, p)
              : ClusteredQuantile.interval(sorted, values, each, each.length, p);
      if (ci[0] <= truth && truth <= ci[1]) {
        covered++;
      }
    }
    return covered / (double) POINTS;
  }

  @Test
  void pointsCountCallsAndFlagP99sOfFewCalls() {
    SparkSession spark = TestSpark.newSession();
    Aggregator.registerFunctions(spark);
    // 10 calls of 64 requests, each call's 64 TTFTs identical: 640 samples, 10 calls
    Row r =
        spark
            .sql(
                """
        SELECT s.count, s.calls, s.p50CiLow, s.p50CiHigh, s.p99CiHigh
        FROM (SELECT sample_summary(call, array(CAST(10 + call AS DOUBLE))) AS s
              FROM (SELECT id DIV 64 AS call FROM range(640)))""")
            .first();
    assertEquals(640L, r.getLong(0));
    assertEquals(10L, r.getLong(1));
    // as wide as 10 independent samples would give: 10 distinct values, interval over several of
    // them
    assertTrue(r.getDouble(3) - r.getDouble(2) >= 3, "p50 interval of 10 calls: " + r);
    assertNull(r.get(4), "the p99 of 10 calls has no upper bound");
  }
}
