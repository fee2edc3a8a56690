-- The `points` table: one row per sweep point, from the pooled raw rows of every executor, file
-- and repetition (never from averaged per-executor or per-repetition percentiles).
-- Needs the temporary views `requests` and `batches` (conf/views.sql), the function
-- sample_summary (SampleSummaryFunction) and functions.sql. Parameters: :definitions.
-- Warm-up rows are excluded everywhere; proxy rows (the notebook's max_tokens=1 TTFT call) are
-- excluded from every latency and throughput figure and reported only as proxy_ttft_*.
WITH measured_requests AS (
  SELECT * FROM requests WHERE NOT warmup AND NOT proxy
),
samples AS (
  -- one row per (request, metric) with that metric's samples as an array: ITL lists are pooled
  -- whole, without exploding them into rows
  SELECT run_id, point_id,
    stack(4,
      'ttft', CAST(array_compact(array(ttft_ms)) AS ARRAY<DOUBLE>),
      'itl', CAST(array_compact(itl_ms) AS ARRAY<DOUBLE>),
      'tpot', CAST(array_compact(array(tpot_ms)) AS ARRAY<DOUBLE>),
      'e2e', CAST(array_compact(array(e2e_ms)) AS ARRAY<DOUBLE>)) AS (metric, samples)
  FROM measured_requests
  UNION ALL
  SELECT run_id, point_id, CASE WHEN proxy THEN 'proxy_ttft' ELSE 'batch' END AS metric,
    CAST(array_compact(array(batch_latency_ms)) AS ARRAY<DOUBLE>) AS samples
  FROM batches
  WHERE NOT warmup
),
summaries AS (
  SELECT run_id, point_id, metric, sample_summary(samples) AS s
  FROM samples
  GROUP BY run_id, point_id, metric
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
    try_element_at(s.sorted, CAST(s.count AS INT)) AS max_ms,
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
batch_info AS (
  SELECT run_id, point_id,
    first(experiment) AS experiment,
    first(model) AS model,
    first(dtype) AS dtype,
    array_sort(collect_set(device)) AS devices,
    array_sort(collect_set(device_name)) AS device_names,
    count(DISTINCT executor_id) AS executors,
    first(batch_size) AS batch_size,
    first(max_tokens) AS max_tokens,
    max(prompt_tokens) AS prompt_tokens,
    first(temperature) AS temperature,
    first(top_p) AS top_p,
    first(top_k) AS top_k,
    first(seed) AS seed,
    first(ignore_eos) AS ignore_eos,
    count(DISTINCT repetition) FILTER (WHERE NOT warmup AND NOT proxy) AS repetitions,
    count_if(warmup) AS warmup_batches,
    count_if(proxy AND NOT warmup) AS proxy_batches,
    coalesce(sum(generated_tokens) FILTER (WHERE NOT warmup AND NOT proxy), 0) AS generated_tokens,
    sum(batch_latency_ms) FILTER (WHERE NOT warmup AND NOT proxy) / 1000 AS wall_s
  FROM batches
  GROUP BY run_id, point_id
),
request_info AS (
  SELECT run_id, point_id,
    count(*) AS requests,
    sum(prompt_tokens) AS prompt_tokens_total,
    avg(prompt_tokens) AS prompt_tokens_mean,
    avg(output_tokens) AS output_tokens_mean,
    count_if(finish_reason = 'length') AS finished_length,
    count_if(finish_reason = 'eos') AS finished_eos,
    count_if(finish_reason = 'stop_string') AS finished_stop_string
  FROM measured_requests
  GROUP BY run_id, point_id
),
point_info AS (
  SELECT b.*,
    coalesce(r.requests, 0) AS requests,
    r.prompt_tokens_mean, r.output_tokens_mean,
    r.finished_length, r.finished_eos, r.finished_stop_string,
    -- throughput: generated tokens / measured wall time of the repetitions (sum of the batch
    -- latencies of the measured calls; warm-ups and proxy calls excluded)
    b.generated_tokens / nullif(b.wall_s, 0) AS output_tokens_per_s,
    (coalesce(r.prompt_tokens_total, 0) + b.generated_tokens) / nullif(b.wall_s, 0) AS total_tokens_per_s,
    coalesce(r.requests, 0) / nullif(b.wall_s, 0) AS requests_per_s
  FROM batch_info b
  LEFT JOIN request_info r ON r.run_id = b.run_id AND r.point_id = b.point_id
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
