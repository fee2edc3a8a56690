-- The run's comparisons with its baselines, regressions first (report section "comparison").
SELECT baseline_run_id, experiment, batch_size, max_tokens, temperature, top_p, request_rate, metric, unit,
       round(baseline_value, 3) AS baseline_value, round(run_value, 3) AS run_value,
       round(ratio, 3) AS ratio, round(ci_low, 3) AS ci_low, round(ci_high, 3) AS ci_high, verdict
FROM comparisons
WHERE run_id = :run
ORDER BY CASE verdict WHEN 'slower' THEN 0 WHEN 'faster' THEN 1 ELSE 2 END, baseline_run_id, experiment,
         batch_size, max_tokens, temperature, top_p, request_rate, metric
