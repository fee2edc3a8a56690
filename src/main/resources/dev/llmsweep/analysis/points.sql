-- The `points` table: one row per sweep point, from the pooled raw rows of every executor, file
-- and repetition (never from averaged per-executor or per-repetition percentiles).
-- Needs the temporary views `requests` and `batches` (conf/views.sql), the function
-- sample_summary (SampleSummaryFunction) and functions.sql. Parameters: :definitions.
-- Warm-up rows are excluded everywhere; proxy rows (the notebook's max_tokens=1 TTFT call) are
-- excluded from every latency and throughput figure and reported only as proxy_ttft_*.
WITH request_groups AS (
  -- one pass over the measured requests: each metric's samples pooled per point (ITL lists
  -- whole, without exploding them into rows), and the request counts. Scalars become one-element
  -- arrays without a lambda (array_compact is an interpreted higher-order function: kept only
  -- for the ITL lists, whose elements must never be null)
  SELECT run_id, point_id,
    sample_summary(CASE WHEN ttft_ms IS NOT NULL THEN array(CAST(ttft_ms AS DOUBLE)) ELSE CAST(array() AS ARRAY<DOUBLE>) END) AS ttft,
    sample_summary(CAST(array_compact(itl_ms) AS ARRAY<DOUBLE>)) AS itl,
    sample_summary(CASE WHEN tpot_ms IS NOT NULL THEN array(CAST(tpot_ms AS DOUBLE)) ELSE CAST(array() AS ARRAY<DOUBLE>) END) AS tpot,
    sample_summary(CASE WHEN e2e_ms IS NOT NULL THEN array(CAST(e2e_ms AS DOUBLE)) ELSE CAST(array() AS ARRAY<DOUBLE>) END) AS e2e,
    count(*) AS requests,
    sum(prompt_tokens) AS prompt_tokens_total,
    avg(prompt_tokens) AS prompt_tokens_mean,
    avg(output_tokens) AS output_tokens_mean,
    count_if(finish_reason = 'length') AS finished_length,
    count_if(finish_reason = 'eos') AS finished_eos,
    count_if(finish_reason = 'stop_string') AS finished_stop_string
  FROM requests
  WHERE NOT warmup AND NOT proxy
  GROUP BY run_id, point_id
),
batch_groups AS (
  -- one pass over the batches: the point's axes and placement, counts, tokens, wall time, and
  -- the batch latency and proxy samples
  SELECT run_id, point_id,
    first(experiment) AS experiment,
    first(model) AS model,
    first(dtype) AS dtype,
    array_sort(collect_set(device)) AS devices,
    array_sort(collect_set(device_name)) AS device_names,
    size(collect_set(executor_id)) AS executors,
    first(batch_size) AS batch_size,
    first(max_tokens) AS max_tokens,
    max(prompt_tokens) AS prompt_tokens,
    first(temperature) AS temperature,
    first(top_p) AS top_p,
    first(top_k) AS top_k,
    first(seed) AS seed,
    first(ignore_eos) AS ignore_eos,
    size(collect_set(repetition) FILTER (WHERE NOT warmup AND NOT proxy)) AS repetitions,
    count_if(warmup) AS warmup_batches,
    count_if(proxy AND NOT warmup) AS proxy_batches,
    coalesce(sum(generated_tokens) FILTER (WHERE NOT warmup AND NOT proxy), 0) AS generated_tokens,
    sum(batch_latency_ms) FILTER (WHERE NOT warmup AND NOT proxy) / 1000 AS wall_s,
    sample_summary(CASE WHEN batch_latency_ms IS NOT NULL THEN array(CAST(batch_latency_ms AS DOUBLE)) ELSE CAST(array() AS ARRAY<DOUBLE>) END)
      FILTER (WHERE NOT warmup AND NOT proxy) AS batch,
    sample_summary(CASE WHEN batch_latency_ms IS NOT NULL THEN array(CAST(batch_latency_ms AS DOUBLE)) ELSE CAST(array() AS ARRAY<DOUBLE>) END)
      FILTER (WHERE proxy AND NOT warmup) AS proxy_ttft
  FROM batches
  GROUP BY run_id, point_id
),
summaries AS (
  SELECT run_id, point_id,
    stack(4, 'ttft', ttft, 'itl', itl, 'tpot', tpot, 'e2e', e2e) AS (metric, s)
  FROM request_groups
  UNION ALL
  SELECT run_id, point_id, stack(2, 'batch', batch, 'proxy_ttft', proxy_ttft) AS (metric, s)
  FROM batch_groups
),
stats AS (
  SELECT run_id, point_id, metric,
    s.count AS count,
    s.mean AS mean_ms,
    s.stddev AS stddev_ms,
    try_element_at(s.sorted, 1) AS min_ms,
    llm_quantile(s.sorted, 0.5) AS p50_ms,
    llm_quantile(s.sorted, 0.9) AS p90_ms,
    llm_quantile(s.sorted, 0.95) AS p95_ms,
    llm_quantile(s.sorted, 0.99) AS p99_ms,
    llm_quantile(s.sorted, 0.999) AS p999_ms,
    try_element_at(s.sorted, -1) AS max_ms,
    llm_order_stat(s.sorted, llm_ci_low_rank(s.count, 0.5)) AS p50_ci_low_ms,
    llm_order_stat(s.sorted, llm_ci_high_rank(s.count, 0.5)) AS p50_ci_high_ms,
    llm_order_stat(s.sorted, llm_ci_low_rank(s.count, 0.99)) AS p99_ci_low_ms,
    llm_order_stat(s.sorted, llm_ci_high_rank(s.count, 0.99)) AS p99_ci_high_ms,
    s.count < 100 AS p99_few_samples,
    s.count < 1000 AS p999_few_samples
  FROM summaries
),
metric_columns AS (
  -- columns <metric>_<stat>, e.g. ttft_p99_ms, itl_count, batch_p50_ci_low_ms
  SELECT * FROM stats PIVOT (
    first(count) AS count,
    first(mean_ms) AS mean_ms,
    first(stddev_ms) AS stddev_ms,
    first(min_ms) AS min_ms,
    first(p50_ms) AS p50_ms,
    first(p90_ms) AS p90_ms,
    first(p95_ms) AS p95_ms,
    first(p99_ms) AS p99_ms,
    first(p999_ms) AS p999_ms,
    first(max_ms) AS max_ms,
    first(p50_ci_low_ms) AS p50_ci_low_ms,
    first(p50_ci_high_ms) AS p50_ci_high_ms,
    first(p99_ci_low_ms) AS p99_ci_low_ms,
    first(p99_ci_high_ms) AS p99_ci_high_ms,
    first(p99_few_samples) AS p99_few_samples,
    first(p999_few_samples) AS p999_few_samples
    FOR metric IN ('ttft' AS ttft, 'itl' AS itl, 'tpot' AS tpot, 'e2e' AS e2e, 'batch' AS batch, 'proxy_ttft' AS proxy_ttft)
  )
),
point_info AS (
  SELECT b.run_id, b.point_id, b.experiment, b.model, b.dtype, b.devices, b.device_names,
    b.executors, b.batch_size, b.max_tokens, b.prompt_tokens, b.temperature, b.top_p, b.top_k,
    b.seed, b.ignore_eos, b.repetitions, b.warmup_batches, b.proxy_batches, b.generated_tokens,
    b.wall_s,
    coalesce(r.requests, 0) AS requests,
    r.prompt_tokens_mean, r.output_tokens_mean,
    r.finished_length, r.finished_eos, r.finished_stop_string,
    -- throughput: generated tokens / measured wall time of the repetitions (sum of the batch
    -- latencies of the measured calls; warm-ups and proxy calls excluded)
    b.generated_tokens / nullif(b.wall_s, 0) AS output_tokens_per_s,
    (coalesce(r.prompt_tokens_total, 0) + b.generated_tokens) / nullif(b.wall_s, 0) AS total_tokens_per_s,
    coalesce(r.requests, 0) / nullif(b.wall_s, 0) AS requests_per_s
  FROM batch_groups b
  LEFT JOIN request_groups r ON r.run_id = b.run_id AND r.point_id = b.point_id
)
SELECT *,
  filter(array(
    CASE WHEN coalesce(batch_count, 0) = 0 THEN 'no measured batches: every figure is missing' END,
    CASE WHEN ttft_count BETWEEN 1 AND 99 THEN
      concat('ttft_p99_ms rests on ', ttft_count, ' samples (< 100): it is about the slowest request') END,
    CASE WHEN e2e_count BETWEEN 1 AND 99 THEN
      concat('e2e_p99_ms rests on ', e2e_count, ' samples (< 100): it is about the slowest request') END,
    CASE WHEN batch_count BETWEEN 1 AND 99 THEN
      concat('batch_p99_ms rests on ', batch_count, ' batches (< 100): it is about the slowest batch') END,
    CASE WHEN proxy_ttft_count > 0 THEN
      'proxy_ttft_* is the wall time of a separate max_tokens=1 call (the notebook''s TTFT); ttft_* is the streaming TTFT' END
  ), w -> w IS NOT NULL) AS warnings,
  :definitions AS metric_definitions,
  'exact: linear interpolation between closest ranks of the pooled sorted samples (Hyndman-Fan type 7, as Spark percentile and numpy)' AS quantile_method,
  'distribution-free 95% order-statistic interval [x(l), x(u)], l = floor(np - 1.96 sqrt(np(1-p))), u = ceil(np + 1.96 sqrt(np(1-p))) + 1; null where the rank falls outside the sample' AS ci_method,
  current_timestamp() AS aggregated_at
FROM point_info
LEFT JOIN metric_columns USING (run_id, point_id)
