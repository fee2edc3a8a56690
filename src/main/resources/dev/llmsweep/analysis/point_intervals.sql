-- The 95% intervals of every point of run :run, for the ranges of the recommendations
-- (dev.llmsweep.analysis.Ranges): p50 and p99 batch latency in seconds (NULL bound: unbounded);
-- throughput has no interval column, its interval is derived from the p50's (Estimate).
SELECT point_id,
  batch_p50_ms / 1000 AS latency_p50_s,
  batch_p50_ci_low_ms / 1000 AS latency_p50_low_s,
  batch_p50_ci_high_ms / 1000 AS latency_p50_high_s,
  batch_p99_ms / 1000 AS latency_p99_s,
  batch_p99_ci_low_ms / 1000 AS latency_p99_low_s,
  batch_p99_ci_high_ms / 1000 AS latency_p99_high_s,
  output_tokens_per_s AS throughput_tokens_per_s
FROM points
WHERE run_id = :run AND batch_p50_ms IS NOT NULL
