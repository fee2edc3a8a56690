-- The notebook's output-length table for run :run: the swept lengths, the answers (p50 and p99 in
-- ms, throughput in tok/s), then the other axes (constant columns go to the caption).
SELECT s.experiment, s.max_tokens, s.prompt_tokens, s.output_tokens_mean,
  p.batch_p50_ms AS latency_p50_ms, p.batch_p99_ms AS latency_p99_ms,
  p.e2e_p50_ms, s.e2e_p99_ms, s.tpot_p50_ms,
  s.throughput_tokens_per_s AS throughput_tok_s,
  s.batch_size, p.batch_calls AS calls, s.latency_p99_few_samples, s.unstable, s.point_id,
  p.batch_p50_ci_low_ms AS latency_p50_ci_low_ms, p.batch_p50_ci_high_ms AS latency_p50_ci_high_ms,
  p.batch_p99_ci_low_ms AS latency_p99_ci_low_ms, p.batch_p99_ci_high_ms AS latency_p99_ci_high_ms
FROM seqlen_sweep s JOIN points p ON p.run_id = s.run_id AND p.point_id = s.point_id
WHERE s.run_id = :run
ORDER BY s.experiment, s.batch_size, s.prompt_tokens, s.max_tokens
