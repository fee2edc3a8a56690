-- The answer to "what runs fastest within a latency budget": the points of run :run, those whose
-- batch latency quantile (:by = 'p50' or 'p99') is within :budget_s seconds first, by highest
-- throughput (ties: lower latency, smaller batch); when none fits, the fastest point first.
-- Every candidate is listed, the answer first (Recommender compares the rest with it through their
-- 95% intervals). :by = 'energy' asks the capacity planner's question instead: of the points whose
-- p99 batch latency fits, the one of most tokens per joule (GPU points with telemetry only).
-- Unstable points (their measured calls drifted) and points whose environment changed while they
-- ran (env_changed) are skipped. Reads the budget_frontier view (conf/views.sql).
SELECT *, latency_s <= :budget_s AS fits
FROM (
  SELECT *, CASE WHEN :by = 'p50' THEN latency_p50_s ELSE latency_p99_s END AS latency_s,
    CASE WHEN :by = 'p50' THEN false ELSE latency_p99_few_samples END AS few_samples
  FROM budget_frontier
  WHERE run_id = :run AND NOT unstable AND NOT env_changed AND (:by <> 'energy' OR tokens_per_joule IS NOT NULL)
)
WHERE latency_s IS NOT NULL
ORDER BY fits DESC,
  CASE WHEN latency_s > :budget_s THEN latency_s
    WHEN :by = 'energy' THEN -tokens_per_joule ELSE -throughput_tokens_per_s END,
  latency_s, batch_size, point_id

