-- Every point of run :run on the throughput / p99 batch latency plane (the budget_frontier view).
SELECT latency_p99_s, throughput_tokens_per_s, on_p99_frontier
FROM budget_frontier
WHERE run_id = :run AND latency_p99_s IS NOT NULL
ORDER BY latency_p99_s
