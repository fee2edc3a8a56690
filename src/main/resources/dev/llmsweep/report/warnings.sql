-- The warnings of run :run's points (small samples, missing batches, the proxy column), each with
-- how many points carry it.
SELECT w AS warning, count(*) AS points
FROM points LATERAL VIEW explode(warnings) t AS w
WHERE run_id = :run
GROUP BY w
ORDER BY points DESC, w
