-- The capacity of each open-loop sweep of run :run (per experiment, endpoint and shape): every offered
-- request rate with the share of its requests that succeeded within the point's SLOs (goodput /
-- achieved rate: both count over the same measured wall time, so this is good requests /
-- requests, free of the window's edges), and whether that share is at least :share. Reads the
-- load_sweep view (conf/views.sql).
SELECT experiment, endpoint, max_tokens, prompt_tokens, request_rate, goodput_requests_per_s, achieved_requests_per_s,
  goodput_requests_per_s / nullif(achieved_requests_per_s, 0) AS good_share,
  coalesce(goodput_requests_per_s / nullif(achieved_requests_per_s, 0) >= :share, false) AS meets,
  slo_ttft_ms, slo_tpot_ms, error_rate
FROM load_sweep
WHERE run_id = :run
ORDER BY experiment, endpoint, max_tokens, prompt_tokens, request_rate
