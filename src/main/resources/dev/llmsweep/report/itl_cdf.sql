-- The inter-token latency distribution of each batch-sweep point of run :run: every gap of every
-- measured request (warm-ups and proxy calls excluded), pooled, at the CDF levels :levels.
-- percentile_approx with accuracy 10000: a level's rank is off by at most n / 10000 samples.
SELECT r.point_id, count(*) AS samples, percentile_approx(itl, :levels, 10000) AS itl_ms
FROM requests r LATERAL VIEW explode(r.itl_ms) g AS itl
WHERE r.run_id = :run AND NOT r.warmup AND NOT r.proxy
  AND r.point_id IN (SELECT point_id FROM batch_sweep WHERE run_id = :run)
GROUP BY r.point_id
