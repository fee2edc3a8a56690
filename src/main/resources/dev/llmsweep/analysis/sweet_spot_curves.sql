-- The points of run :run's batch-size curves as the sweet_spot view takes them (conf/views.sql:
-- stable points with a p50 batch latency and a throughput), for the ranges of the sweet spots
-- (dev.llmsweep.analysis.Ranges). A point the view leaves out must be left out here too.
SELECT * FROM batch_sweep
WHERE run_id = :run AND NOT unstable AND latency_p50_s IS NOT NULL AND throughput_tokens_per_s IS NOT NULL
ORDER BY experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed, batch_size
