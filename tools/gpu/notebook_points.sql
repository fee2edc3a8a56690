-- The points table of a notebook run, as the closing note of a GPU run quotes it:
--   ./submit sql --results ROOT -f tools/gpu/notebook_points.sql
-- every point once: planned points, rows in the points table and distinct point ids per experiment
SELECT experiment, count(*) AS rows, count(DISTINCT point_id) AS distinct_points FROM points GROUP BY experiment ORDER BY experiment;
SELECT experiment, batch_size, max_tokens, temperature, top_p, round(ttft_p50_ms, 1) AS ttft_p50_ms,
  round(e2e_p50_ms / 1000, 3) AS e2e_p50_s, round(tpot_p50_ms, 2) AS tpot_p50_ms, round(tpot_p99_ms, 2) AS tpot_p99_ms,
  round(output_tokens_per_s, 0) AS tok_s
FROM points ORDER BY experiment, batch_size, max_tokens, temperature, top_p;
SELECT experiment, batch_size, round(latency_p50_s, 3) AS latency_p50_s, round(latency_p99_s, 3) AS latency_p99_s,
  round(proxy_ttft_p50_ms, 1) AS proxy_ttft_p50_ms, round(throughput_tokens_per_s, 0) AS tok_s FROM batch_sweep ORDER BY batch_size;
SELECT * FROM sweet_spot;
