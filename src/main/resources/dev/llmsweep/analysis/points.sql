-- The `points` table: one row per sweep point, from the pooled raw rows of every executor, file
-- and repetition (never from averaged per-executor or per-repetition percentiles).
-- Needs the temporary views `requests`, `batches` and `probes` (conf/views.sql), the function
-- sample_summary (SampleSummaryFunction) and functions.sql. Parameters: :definitions,
-- :drift_tolerance.
-- The generate call is the statistical unit: the requests of one call share its prefill (so its
-- TTFT) and, with ignore_eos, its E2E, so every sample is tagged with its call (`repetition`
-- within the point) and intervals and small-sample flags count calls.
-- Warm-up rows are excluded everywhere; proxy rows (the notebook's max_tokens=1 TTFT call) are
-- excluded from every latency and throughput figure and reported only as proxy_ttft_*.
-- Failed requests (an endpoint's error, a broken stream, a timeout: `error` is set) count in
-- requests, failed_requests and error_rate, and in no latency figure. Goodput counts the
-- requests that succeeded within the point's SLOs (slo_ttft_ms, slo_tpot_ms; 0: none).
WITH request_groups AS (
  -- one pass over the measured requests: each metric's samples pooled per point (ITL lists
  -- whole, without exploding them into rows), and the request counts. sample_summary takes a
  -- scalar or an array and skips nulls (a scalar's, an ITL list's elements) itself
  SELECT run_id, point_id,
    sample_summary(repetition, CAST(ttft_ms AS DOUBLE))
      FILTER (WHERE error IS NULL) AS ttft,
    sample_summary(repetition, itl_ms) FILTER (WHERE error IS NULL) AS itl,
    sample_summary(repetition, CAST(tpot_ms AS DOUBLE))
      FILTER (WHERE error IS NULL) AS tpot,
    sample_summary(repetition, CAST(e2e_ms AS DOUBLE))
      FILTER (WHERE error IS NULL) AS e2e,
    count(*) AS requests,
    sum(prompt_tokens) AS prompt_tokens_total,
    avg(prompt_tokens) AS prompt_tokens_mean,
    avg(output_tokens) AS output_tokens_mean,
    count_if(finish_reason = 'length') AS finished_length,
    count_if(finish_reason = 'eos') AS finished_eos,
    count_if(finish_reason = 'stop_string') AS finished_stop_string,
    count_if(error IS NOT NULL) AS failed_requests,
    -- a server that ignores ignore_eos and min_tokens answers short: counted, not hidden
    count_if(error IS NULL AND ignore_eos AND output_tokens < max_tokens AND finish_reason <> 'stop_string')
      AS short_outputs,
    count_if(prompt_tokens IS NULL) AS prompt_tokens_unknown,
    count_if(error IS NULL AND ttft_ms IS NOT NULL
      AND (slo_ttft_ms = 0 OR ttft_ms <= slo_ttft_ms)
      AND (slo_tpot_ms = 0 OR tpot_ms IS NULL OR tpot_ms <= slo_tpot_ms)) AS good_requests,
    first(error, true) AS first_error
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
    first(engine) AS engine,
    first(endpoint) AS endpoint,
    first(request_rate) AS request_rate,
    first(slo_ttft_ms) AS slo_ttft_ms,
    first(slo_tpot_ms) AS slo_tpot_ms,
    size(collect_set(repetition) FILTER (WHERE NOT warmup AND NOT proxy)) AS repetitions,
    count_if(warmup) AS warmup_batches,
    count_if(proxy AND NOT warmup) AS proxy_batches,
    coalesce(sum(generated_tokens) FILTER (WHERE NOT warmup AND NOT proxy), 0) AS generated_tokens,
    sum(batch_latency_ms) FILTER (WHERE NOT warmup AND NOT proxy) / 1000 AS wall_s,
    sample_summary(repetition, CAST(batch_latency_ms AS DOUBLE))
      FILTER (WHERE NOT warmup AND NOT proxy) AS batch,
    sample_summary(repetition, CAST(batch_latency_ms AS DOUBLE))
      FILTER (WHERE proxy AND NOT warmup) AS proxy_ttft
  FROM batches
  GROUP BY run_id, point_id
),
ordered_calls AS (
  -- the point's calls in order, warm-ups and measured ones apart, each with its decode steps (its
  -- batch latency when it has none: max_tokens = 1)
  SELECT run_id, point_id, warmup, repetition,
    CASE WHEN size(decode_step_ms) > 0 THEN CAST(decode_step_ms AS ARRAY<DOUBLE>)
      ELSE array(CAST(batch_latency_ms AS DOUBLE)) END AS steps,
    row_number() OVER (PARTITION BY run_id, point_id, warmup ORDER BY repetition) AS k,
    count(*) OVER (PARTITION BY run_id, point_id, warmup) AS n
  FROM batches
  WHERE NOT proxy AND batch_latency_ms IS NOT NULL
),
steadiness AS (
  -- drift check: the median decode step of the first and of the second half of the measured
  -- calls (the middle call of an odd count in neither); and the last two warm-ups' medians
  SELECT run_id, point_id,
    max(n) FILTER (WHERE NOT warmup) AS measured_calls,
    llm_quantile(sample_summary(repetition, steps) FILTER (WHERE NOT warmup AND k <= floor(n / 2)).sorted, 0.5)
      AS first_half_step_p50_ms,
    llm_quantile(sample_summary(repetition, steps) FILTER (WHERE NOT warmup AND k > n - floor(n / 2)).sorted, 0.5)
      AS second_half_step_p50_ms,
    llm_quantile(sample_summary(repetition, steps) FILTER (WHERE warmup AND k = n - 1).sorted, 0.5)
      AS warmup_previous_step_p50_ms,
    llm_quantile(sample_summary(repetition, steps) FILTER (WHERE warmup AND k = n).sorted, 0.5)
      AS warmup_last_step_p50_ms
  FROM ordered_calls
  GROUP BY run_id, point_id
),
environment AS (
  -- the point's calibration probes (one row per point) and its device telemetry: clocks,
  -- temperature, power and throttle reasons over the samples read during its measured calls, or
  -- over all its samples when none was (a point shorter than the sampling interval); peak memory
  -- over every sample of the point
  SELECT run_id, point_id,
    first(env_tolerance) AS env_tolerance,
    first(point_ms) AS env_point_ms,
    first(probe_ms) AS env_probe_ms,
    first(read_gbps_before) AS env_read_gbps_before,
    first(read_gbps_after) AS env_read_gbps_after,
    first(fma_gflops_before) AS env_fma_gflops_before,
    first(fma_gflops_after) AS env_fma_gflops_after,
    first(gpu_copy_gbps_before) AS gpu_copy_gbps_before,
    first(gpu_copy_gbps_after) AS gpu_copy_gbps_after,
    first(gpu_gemm_tflops_before) AS gpu_gemm_tflops_before,
    first(gpu_gemm_tflops_after) AS gpu_gemm_tflops_after,
    first(telemetry_source) AS telemetry_source,
    first(gpu_other_processes) AS gpu_other_processes,
    first(cpu_others) AS env_cpu_others,
    first(cpu_steal) AS env_cpu_steal,
    coalesce(avg(s.sm_clock_mhz) FILTER (WHERE s.measured), avg(s.sm_clock_mhz)) AS gpu_sm_clock_mhz,
    coalesce(avg(s.mem_clock_mhz) FILTER (WHERE s.measured), avg(s.mem_clock_mhz)) AS gpu_mem_clock_mhz,
    coalesce(max(s.temperature_c) FILTER (WHERE s.measured), max(s.temperature_c)) AS gpu_temp_c_max,
    coalesce(avg(s.power_w) FILTER (WHERE s.measured), avg(s.power_w)) AS gpu_power_w,
    max(s.memory_used_mib) AS gpu_peak_memory_mib,
    nullif(array_join(array_sort(array_distinct(flatten(coalesce(
      nullif(collect_list(split(s.throttle_reasons, ',')) FILTER (WHERE s.measured), array()),
      collect_list(split(s.throttle_reasons, ',')))))), ','), '') AS gpu_throttle_reasons
  FROM probes LATERAL VIEW OUTER explode(samples) x AS s
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
    s.calls AS calls,
    s.mean AS mean_ms,
    s.stddev AS stddev_ms,
    try_element_at(s.sorted, 1) AS min_ms,
    llm_quantile(s.sorted, 0.5) AS p50_ms,
    llm_quantile(s.sorted, 0.9) AS p90_ms,
    llm_quantile(s.sorted, 0.95) AS p95_ms,
    llm_quantile(s.sorted, 0.99) AS p99_ms,
    llm_quantile(s.sorted, 0.999) AS p999_ms,
    try_element_at(s.sorted, -1) AS max_ms,
    s.p50CiLow AS p50_ci_low_ms,
    s.p50CiHigh AS p50_ci_high_ms,
    s.p99CiLow AS p99_ci_low_ms,
    s.p99CiHigh AS p99_ci_high_ms,
    s.calls < 100 AS p99_few_samples,
    s.calls < 1000 AS p999_few_samples
  FROM summaries
),
metric_columns AS (
  -- columns <metric>_<stat>, e.g. ttft_p99_ms, itl_count, batch_p50_ci_low_ms
  SELECT * FROM stats PIVOT (
    first(count) AS count,
    first(calls) AS calls,
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
    b.seed, b.ignore_eos, b.engine, b.endpoint, b.request_rate, b.slo_ttft_ms, b.slo_tpot_ms, b.repetitions, b.warmup_batches, b.proxy_batches, b.generated_tokens,
    b.wall_s,
    coalesce(r.requests, 0) AS requests,
    r.prompt_tokens_mean, r.output_tokens_mean,
    r.finished_length, r.finished_eos, r.finished_stop_string,
    coalesce(r.failed_requests, 0) AS failed_requests,
    coalesce(r.failed_requests, 0) / nullif(r.requests, 0) AS error_rate,
    r.first_error,
    coalesce(r.short_outputs, 0) AS short_outputs,
    coalesce(r.prompt_tokens_unknown, 0) AS prompt_tokens_unknown,
    -- throughput: generated tokens / measured wall time of the repetitions (sum of the batch
    -- latencies of the measured calls; warm-ups and proxy calls excluded)
    b.generated_tokens / nullif(b.wall_s, 0) AS output_tokens_per_s,
    (coalesce(r.prompt_tokens_total, 0) + b.generated_tokens) / nullif(b.wall_s, 0) AS total_tokens_per_s,
    -- requests per second over the measured wall time: for an open-loop point, the achieved rate
    coalesce(r.requests, 0) / nullif(b.wall_s, 0) AS requests_per_s,
    coalesce(r.good_requests, 0) / nullif(b.wall_s, 0) AS goodput_requests_per_s,
    d.first_half_step_p50_ms, d.second_half_step_p50_ms,
    d.second_half_step_p50_ms / nullif(d.first_half_step_p50_ms, 0) - 1 AS drift_change,
    coalesce(d.measured_calls >= 4 AND greatest(d.second_half_step_p50_ms / d.first_half_step_p50_ms,
      d.first_half_step_p50_ms / d.second_half_step_p50_ms) - 1 > :drift_tolerance, false) AS unstable,
    d.warmup_last_step_p50_ms / nullif(d.warmup_previous_step_p50_ms, 0) - 1 AS warmup_last_change,
    e.env_read_gbps_before, e.env_read_gbps_after, e.env_fma_gflops_before, e.env_fma_gflops_after,
    e.env_probe_ms, e.env_point_ms, e.env_tolerance,
    e.env_cpu_others, e.env_cpu_steal,
    -- the largest relative difference between a probe's before and after readings, either way
    greatest(
      greatest(e.env_read_gbps_after / nullif(e.env_read_gbps_before, 0), e.env_read_gbps_before / nullif(e.env_read_gbps_after, 0)),
      greatest(e.env_fma_gflops_after / nullif(e.env_fma_gflops_before, 0), e.env_fma_gflops_before / nullif(e.env_fma_gflops_after, 0)),
      greatest(e.gpu_copy_gbps_after / nullif(e.gpu_copy_gbps_before, 0), e.gpu_copy_gbps_before / nullif(e.gpu_copy_gbps_after, 0)),
      greatest(e.gpu_gemm_tflops_after / nullif(e.gpu_gemm_tflops_before, 0), e.gpu_gemm_tflops_before / nullif(e.gpu_gemm_tflops_after, 0))
    ) - 1 AS env_change,
    e.gpu_copy_gbps_before, e.gpu_copy_gbps_after, e.gpu_gemm_tflops_before, e.gpu_gemm_tflops_after,
    e.gpu_sm_clock_mhz, e.gpu_mem_clock_mhz, e.gpu_temp_c_max, e.gpu_power_w,
    -- energy of the measured calls: their mean power draw times their summed wall time
    e.gpu_power_w * b.wall_s AS gpu_energy_j,
    e.gpu_peak_memory_mib, e.gpu_throttle_reasons, e.gpu_other_processes, e.telemetry_source,
    b.generated_tokens / nullif(e.gpu_power_w * b.wall_s, 0) AS tokens_per_joule
  FROM batch_groups b
  LEFT JOIN request_groups r ON r.run_id = b.run_id AND r.point_id = b.point_id
  LEFT JOIN steadiness d ON d.run_id = b.run_id AND d.point_id = b.point_id
  LEFT JOIN environment e ON e.run_id = b.run_id AND e.point_id = b.point_id
),
probe_noise AS (
  -- each probe's resolution on this run's machine: the before/after difference its readings show
  -- at rest. A probe of milliseconds on a shared machine moves by tens of percent between readings
  -- (neighbours on sibling hyperthreads, clocks): a 10% tolerance alone flagged 16 of 17 points of a
  -- quickstart on a quiet 2-core VM. With log-normal reading noise of sd s, ln(after / before) has
  -- sd s * sqrt(2) and its median absolute value is 0.674 * s * sqrt(2); 4.9 times that median is
  -- 3.3 sd (one at-rest point in a thousand beyond it). Over at least 3 points with both readings
  -- (robust: a few changed points hardly move a median); NULL (no floor) below that.
  SELECT run_id,
    CASE WHEN count(rd) >= 3 THEN exp(4.9 * percentile(rd, 0.5)) - 1 END AS env_read_noise,
    CASE WHEN count(fd) >= 3 THEN exp(4.9 * percentile(fd, 0.5)) - 1 END AS env_fma_noise,
    CASE WHEN count(cd) >= 3 THEN exp(4.9 * percentile(cd, 0.5)) - 1 END AS gpu_copy_noise,
    CASE WHEN count(gd) >= 3 THEN exp(4.9 * percentile(gd, 0.5)) - 1 END AS gpu_gemm_noise
  FROM (
    SELECT run_id,
      abs(ln(env_read_gbps_after / nullif(env_read_gbps_before, 0))) AS rd,
      abs(ln(env_fma_gflops_after / nullif(env_fma_gflops_before, 0))) AS fd,
      abs(ln(gpu_copy_gbps_after / nullif(gpu_copy_gbps_before, 0))) AS cd,
      abs(ln(gpu_gemm_tflops_after / nullif(gpu_gemm_tflops_before, 0))) AS gd
    FROM point_info)
  GROUP BY run_id
),
point_env AS (
  -- env_changed: a probe's before and after readings differ by more than the tolerance and more
  -- than the probe's resolution on this run (probe_noise); NULL for a point without probes (a run
  -- written before them)
  SELECT p.*, n.env_read_noise, n.env_fma_noise, n.gpu_copy_noise, n.gpu_gemm_noise,
    CASE WHEN p.env_tolerance IS NOT NULL THEN coalesce(
      greatest(p.env_read_gbps_after / nullif(p.env_read_gbps_before, 0), p.env_read_gbps_before / nullif(p.env_read_gbps_after, 0)) - 1
        > greatest(p.env_tolerance, n.env_read_noise)
      OR greatest(p.env_fma_gflops_after / nullif(p.env_fma_gflops_before, 0), p.env_fma_gflops_before / nullif(p.env_fma_gflops_after, 0)) - 1
        > greatest(p.env_tolerance, n.env_fma_noise)
      OR greatest(p.gpu_copy_gbps_after / nullif(p.gpu_copy_gbps_before, 0), p.gpu_copy_gbps_before / nullif(p.gpu_copy_gbps_after, 0)) - 1
        > greatest(p.env_tolerance, n.gpu_copy_noise)
      OR greatest(p.gpu_gemm_tflops_after / nullif(p.gpu_gemm_tflops_before, 0), p.gpu_gemm_tflops_before / nullif(p.gpu_gemm_tflops_after, 0)) - 1
        > greatest(p.env_tolerance, n.gpu_gemm_noise), false) END AS env_changed
  FROM point_info p LEFT JOIN probe_noise n ON n.run_id = p.run_id
)
SELECT *,
  filter(array(
    CASE WHEN coalesce(batch_count, 0) = 0 THEN 'no measured batches: every figure is missing' END,
    CASE WHEN batch_calls BETWEEN 1 AND 99 THEN
      concat('p99 figures rest on ', batch_calls, ' generate calls (< 100): each is about the slowest call') END,
    CASE WHEN failed_requests > 0 THEN
      concat(failed_requests, ' of ', requests, ' requests failed (error_rate ', round(error_rate, 4),
        '); latency figures leave them out; first error: ', first_error) END,
    CASE WHEN short_outputs > 0 THEN
      concat(short_outputs, ' of ', requests - failed_requests, ' successful requests answered fewer than max_tokens (',
        max_tokens, ') tokens under ignore_eos: the server may ignore ignore_eos and min_tokens') END,
    CASE WHEN prompt_tokens_unknown > 0 THEN
      concat(prompt_tokens_unknown, ' of ', requests, ' requests have no prompt_tokens (NULL): the server sent no',
        ' usage and the job names no tokenizer') END,
    CASE WHEN batch_size > 1 AND batch_calls > 0 THEN
      concat('samples are clustered: the ', batch_size, ' requests of a generate call share its prefill;',
        ' intervals and flags count calls, not requests') END,
    CASE WHEN unstable THEN
      concat('unstable: the median decode step moved from ', round(first_half_step_p50_ms, 3), ' ms in the first half of',
        ' the measured calls to ', round(second_half_step_p50_ms, 3), ' ms in the second (more than ',
        CAST(round(100 * :drift_tolerance) AS INT), '%)') END,
    CASE WHEN env_changed THEN
      concat('env_changed: the calibration probes after the point differ from those before it by ',
        CAST(round(100 * env_change) AS INT), '% (more than ', CAST(round(100 * env_tolerance) AS INT),
        '% and more than the probes move at rest on this run: read bandwidth ',
        coalesce(CAST(round(100 * env_read_noise) AS INT), 0), '%, FMA ', coalesce(CAST(round(100 * env_fma_noise) AS INT), 0),
        '%; read bandwidth ', coalesce(round(env_read_gbps_before, 1), '?'), ' -> ', coalesce(round(env_read_gbps_after, 1), '?'),
        ' GB/s, FMA ', coalesce(round(env_fma_gflops_before, 1), '?'), ' -> ', coalesce(round(env_fma_gflops_after, 1), '?'),
        ' GFLOPS): the machine changed while it ran') END,
    CASE WHEN env_cpu_others + coalesce(env_cpu_steal, 0) > env_tolerance THEN
      concat('contended: other processes used ', CAST(round(100 * env_cpu_others) AS INT),
        '% of the machine''s CPU time while the point ran and the hypervisor took ',
        CAST(round(100 * coalesce(env_cpu_steal, 0)) AS INT), '% (steal): its figures are partly its neighbours''') END,
    CASE WHEN proxy_ttft_count > 0 THEN
      'proxy_ttft_* is the wall time of a separate max_tokens=1 call (the notebook''s TTFT); ttft_* is the streaming TTFT' END
  ), w -> w IS NOT NULL) AS warnings,
  :definitions AS metric_definitions,
  'exact: linear interpolation between closest ranks of the pooled sorted samples (Hyndman-Fan type 7, as Spark percentile and numpy)' AS quantile_method,
  'clustered by generate call: Woodruff 95% interval [x(l), x(u)], l = floor(n(p - 1.96 se)), u = ceil(n(p + 1.96 se)) + 1, se the cluster-robust (per-call) standard error of the fraction of samples below the quantile; null where the rank falls outside the sample' AS ci_method,
  current_timestamp() AS aggregated_at
FROM point_env
LEFT JOIN metric_columns USING (run_id, point_id)
