-- The notebook's sampling table for run :run (the sampling_sweep view).
SELECT experiment, point_id, batch_size, max_tokens, temperature, top_p, top_k, output_tokens_mean,
  latency_mean_s, latency_p99_s, e2e_p99_ms, throughput_tokens_per_s, latency_samples, latency_p99_few_samples, unstable
FROM sampling_sweep
WHERE run_id = :run
ORDER BY experiment, batch_size, max_tokens, temperature, top_p, top_k
