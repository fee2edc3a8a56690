-- The notebook's batch table for run :run (the batch_sweep view), one row per batch size of each curve.
SELECT experiment, point_id, batch_size, max_tokens, prompt_tokens, temperature, top_p, top_k, seed,
  ttft_p50_ms, ttft_p99_ms, proxy_ttft_p50_ms, proxy_ttft_p99_ms,
  latency_p50_s, latency_p99_s, throughput_tokens_per_s, latency_samples, latency_p99_few_samples, unstable
FROM batch_sweep
WHERE run_id = :run
ORDER BY experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed, batch_size
