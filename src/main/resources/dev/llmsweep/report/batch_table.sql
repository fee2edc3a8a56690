-- The notebook's batch table for run :run, one row per batch size of each curve: the swept axis,
-- the answers (latencies in ms, throughput in tok/s), then the other axes (the report moves the
-- columns that are the same in every row to the caption). The *_ci_* columns (95% intervals,
-- clustered by call) feed the plots' error bars and are not shown in the table.
SELECT b.experiment, b.batch_size,
  b.ttft_p50_ms, b.ttft_p99_ms,
  p.batch_p50_ms AS latency_p50_ms, p.batch_p99_ms AS latency_p99_ms,
  b.throughput_tokens_per_s AS throughput_tok_s,
  b.tokens_per_joule AS tok_per_j,
  b.proxy_ttft_p50_ms, b.proxy_ttft_p99_ms,
  b.max_tokens, b.prompt_tokens, b.temperature, b.top_p, b.top_k, b.seed,
  b.calls, b.latency_p99_few_samples, b.unstable, b.env_changed, b.point_id,
  p.batch_p50_ci_low_ms AS latency_p50_ci_low_ms, p.batch_p50_ci_high_ms AS latency_p50_ci_high_ms,
  p.batch_p99_ci_low_ms AS latency_p99_ci_low_ms, p.batch_p99_ci_high_ms AS latency_p99_ci_high_ms
FROM batch_sweep b JOIN points p ON p.run_id = b.run_id AND p.point_id = b.point_id
WHERE b.run_id = :run
ORDER BY b.experiment, b.max_tokens, b.prompt_tokens, b.temperature, b.top_p, b.top_k, b.seed, b.batch_size
