package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The order-statistic intervals of functions.sql are real 95% intervals: over many groups of
 * uniform samples (true p-quantile = p), about 95% of the p50 and p99 intervals contain it.
 * A wrong rank formula (say z = 1, or ranks off by a few) lands outside the accepted band.
 */
class ConfidenceIntervalTest {

  @Test
  void p50AndP99IntervalsCoverTheTrueQuantileAbout95PercentOfTheTime() {
    SparkSession spark = TestSpark.newSession();
    Aggregator.registerFunctions(spark);
    Row r = spark.sql("""
        WITH groups AS (
          SELECT g, sample_summary(array(x)).sorted AS s
          FROM (SELECT id % 400 AS g, rand(11) AS x FROM range(400000))
          GROUP BY g)
        SELECT
          avg(CASE WHEN llm_order_stat(s, llm_ci_low_rank(size(s), 0.5)) <= 0.5
                    AND 0.5 <= llm_order_stat(s, llm_ci_high_rank(size(s), 0.5)) THEN 1 ELSE 0 END),
          avg(CASE WHEN llm_order_stat(s, llm_ci_low_rank(size(s), 0.99)) <= 0.99
                    AND 0.99 <= llm_order_stat(s, llm_ci_high_rank(size(s), 0.99)) THEN 1 ELSE 0 END),
          min(size(s)), count(*)
        FROM groups""").first();
    assertEquals(400L, r.getLong(3));
    assertEquals(1000, r.getInt(2));
    double p50 = ((Number) r.get(0)).doubleValue();
    double p99 = ((Number) r.get(1)).doubleValue();
    assertTrue(p50 >= 0.92 && p50 <= 0.99, "p50 coverage " + p50);
    assertTrue(p99 >= 0.92 && p99 <= 0.995, "p99 coverage " + p99);
  }
}
