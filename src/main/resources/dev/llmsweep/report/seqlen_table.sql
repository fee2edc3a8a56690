-- The notebook's output-length table for run :run (the seqlen_sweep view).
SELECT experiment, point_id, batch_size, max_tokens, prompt_tokens, output_tokens_mean,
  latency_mean_s, latency_p99_s, e2e_p99_ms, tpot_p50_ms, throughput_tokens_per_s, latency_samples,
  latency_p99_few_samples, unstable
FROM seqlen_sweep
WHERE run_id = :run
ORDER BY experiment, batch_size, prompt_tokens, max_tokens
