-- Open-loop load against an endpoint for run :run (the load_sweep view): offered and achieved
-- rates, goodput, error rate and latency quantiles per request rate.
SELECT experiment, point_id, request_rate, achieved_requests_per_s, goodput_requests_per_s, error_rate,
  throughput_tokens_per_s, ttft_p50_ms, ttft_p99_ms, tpot_p50_ms, tpot_p99_ms, e2e_p99_ms, slo_ttft_ms,
  slo_tpot_ms, requests
FROM load_sweep
WHERE run_id = :run
ORDER BY experiment, max_tokens, prompt_tokens, request_rate
