-- The notebook's sampling table for run :run: the sampling settings, the answers (p50 and p99 in
-- ms, throughput in tok/s), then the other axes (constant columns go to the caption).
SELECT s.experiment, s.temperature, s.top_p, s.top_k,
  p.batch_p50_ms AS latency_p50_ms, p.batch_p99_ms AS latency_p99_ms,
  p.e2e_p50_ms, s.e2e_p99_ms,
  s.throughput_tokens_per_s AS throughput_tok_s,
  s.output_tokens_mean, s.batch_size, s.max_tokens, p.batch_calls AS calls, s.latency_p99_few_samples,
  s.unstable, s.point_id,
  p.batch_p50_ci_low_ms AS latency_p50_ci_low_ms, p.batch_p50_ci_high_ms AS latency_p50_ci_high_ms,
  p.batch_p99_ci_low_ms AS latency_p99_ci_low_ms, p.batch_p99_ci_high_ms AS latency_p99_ci_high_ms
FROM sampling_sweep s JOIN points p ON p.run_id = s.run_id AND p.point_id = s.point_id
WHERE s.run_id = :run
ORDER BY s.experiment, s.batch_size, s.max_tokens, s.temperature, s.top_p, s.top_k
