-- llm-sweep SQL views over a results root. Load them into any Spark SQL session, with two
-- variables: `results` (the results root, any Hadoop filesystem URI) and `run` (a run id, or *
-- for every run under the root):
--
--   spark-sql --hiveconf results=/data/results --hiveconf run=20260101-120000 -i conf/views.sql
--
--   or, in any session:  SET results=/data/results;  SET run=*;  then this file's statements.
--
-- The `points` table is written by the sweep at the end of a run, or by `./submit aggregate`.
-- Columns, units and definitions: docs/schema.md. Latencies are in ms (`*_ms`) or s (`*_s`).

-- Raw rows, one per request; warm-up and proxy rows included and flagged.
CREATE OR REPLACE TEMPORARY VIEW requests AS
SELECT * FROM parquet.`${results}/${run}/raw/p-*/requests.parquet`;

-- Raw rows, one per generate call; warm-up and proxy rows included and flagged.
CREATE OR REPLACE TEMPORARY VIEW batches AS
SELECT * FROM parquet.`${results}/${run}/raw/p-*/batches.parquet`;

-- One row per point: its calibration probes just before and just after it (host memory read
-- bandwidth, FMA rate; on a GPU the device's copy bandwidth and a float16 GEMM) and its device
-- telemetry samples (raw/p-*/probes.parquet); cpu_others and cpu_steal: the shares of the host's CPU
-- time other processes and the hypervisor took while the point ran (NULL in files written before
-- them). A run written before probes existed has none: the view is then empty, and the points'
-- environment columns are NULL.
CREATE OR REPLACE TEMPORARY VIEW probes (
  run_id STRING, point_id STRING, env_tolerance DOUBLE, point_ms DOUBLE, probe_ms DOUBLE,
  read_gbps_before DOUBLE, fma_gflops_before DOUBLE, gpu_copy_gbps_before DOUBLE, gpu_gemm_tflops_before DOUBLE,
  read_gbps_after DOUBLE, fma_gflops_after DOUBLE, gpu_copy_gbps_after DOUBLE, gpu_gemm_tflops_after DOUBLE,
  cpu_others DOUBLE, cpu_steal DOUBLE, telemetry_source STRING, gpu_other_processes INT,
  samples ARRAY<STRUCT<host_ns: BIGINT, measured: BOOLEAN, sm_clock_mhz: DOUBLE, mem_clock_mhz: DOUBLE,
    temperature_c: DOUBLE, power_w: DOUBLE, memory_used_mib: DOUBLE, throttle_reasons: STRING>>)
USING parquet OPTIONS (path '${results}/${run}/raw/p-*/probes.parquet');

-- One row per run: the manifest.
CREATE OR REPLACE TEMPORARY VIEW runs AS
SELECT * FROM parquet.`${results}/${run}/runs/run.parquet`;

-- One row per failed point (out of memory, device error, point_timeout_s, any engine error):
-- the records of failed/p-<point_id>.json. A point that is committed later (a resumed run retried
-- it) is no longer listed; failed points have no rows in `points` or the sweep views.
CREATE OR REPLACE TEMPORARY VIEW failures (
  run_id STRING, point_id STRING, experiment STRING, model STRING, dtype STRING, device STRING,
  batch_size INT, max_tokens INT, prompt_tokens INT, temperature DOUBLE, top_p DOUBLE, top_k INT,
  seed BIGINT, phase STRING, reason STRING, error_class STRING, message STRING, executor_id STRING,
  host STRING, failed_at STRING, elapsed_ms DOUBLE, model_discarded BOOLEAN)
USING json OPTIONS (path '${results}/${run}/failed');

-- One row per point: pooled statistics (dev.llmsweep.analysis.Aggregator, points.sql).
CREATE OR REPLACE TEMPORARY VIEW points AS
SELECT * FROM parquet.`${results}/${run}/points`;

-- The notebook's batch table, for every experiment that sweeps batch_size. "Latency" is the
-- batch latency (wall time of one generate call for the whole batch), as the notebook timed it.
-- Quantiles are exact (see points.quantile_method).
CREATE OR REPLACE TEMPORARY VIEW batch_sweep AS
WITH swept AS (
  SELECT run_id, experiment FROM points
  GROUP BY run_id, experiment
  HAVING count(DISTINCT batch_size) > 1
)
SELECT p.run_id, p.experiment, p.point_id, p.batch_size, p.max_tokens, p.prompt_tokens,
  p.temperature, p.top_p, p.top_k, p.seed,
  p.ttft_p50_ms, p.ttft_p99_ms,
  p.proxy_ttft_p50_ms, p.proxy_ttft_p99_ms,
  p.batch_p50_ms / 1000 AS latency_p50_s,
  p.batch_p99_ms / 1000 AS latency_p99_s,
  p.output_tokens_per_s AS throughput_tokens_per_s,
  p.batch_count AS latency_samples,
  p.batch_p99_few_samples AS latency_p99_few_samples,
  p.ttft_p99_few_samples,
  p.batch_calls AS calls,
  p.unstable,
  coalesce(p.env_changed, false) AS env_changed,
  p.gpu_power_w, p.gpu_energy_j, p.tokens_per_joule, p.gpu_peak_memory_mib
FROM points p JOIN swept s ON p.run_id = s.run_id AND p.experiment = s.experiment;

-- Latency against generated length, for every experiment that sweeps max_tokens or prompt_tokens.
CREATE OR REPLACE TEMPORARY VIEW seqlen_sweep AS
WITH swept AS (
  SELECT run_id, experiment FROM points
  GROUP BY run_id, experiment
  HAVING count(DISTINCT max_tokens) > 1 OR count(DISTINCT prompt_tokens) > 1
)
SELECT p.run_id, p.experiment, p.point_id, p.max_tokens, p.prompt_tokens, p.batch_size,
  p.output_tokens_mean,
  p.batch_mean_ms / 1000 AS latency_mean_s,
  p.batch_p99_ms / 1000 AS latency_p99_s,
  p.e2e_mean_ms, p.e2e_p99_ms, p.tpot_p50_ms, p.tpot_p99_ms,
  p.output_tokens_per_s AS throughput_tokens_per_s,
  p.batch_count AS latency_samples,
  p.batch_p99_few_samples AS latency_p99_few_samples,
  p.unstable,
  coalesce(p.env_changed, false) AS env_changed
FROM points p JOIN swept s ON p.run_id = s.run_id AND p.experiment = s.experiment;

-- Latency across sampling parameters, for every experiment that sweeps temperature, top_p or top_k.
CREATE OR REPLACE TEMPORARY VIEW sampling_sweep AS
WITH swept AS (
  SELECT run_id, experiment FROM points
  GROUP BY run_id, experiment
  HAVING count(DISTINCT temperature) > 1 OR count(DISTINCT top_p) > 1 OR count(DISTINCT top_k) > 1
)
SELECT p.run_id, p.experiment, p.point_id, p.temperature, p.top_p, p.top_k, p.batch_size,
  p.max_tokens, p.output_tokens_mean,
  p.batch_mean_ms / 1000 AS latency_mean_s,
  p.batch_p99_ms / 1000 AS latency_p99_s,
  p.e2e_mean_ms, p.e2e_p99_ms,
  p.output_tokens_per_s AS throughput_tokens_per_s,
  p.batch_count AS latency_samples,
  p.batch_p99_few_samples AS latency_p99_few_samples,
  p.unstable,
  coalesce(p.env_changed, false) AS env_changed
FROM points p JOIN swept s ON p.run_id = s.run_id AND p.experiment = s.experiment;

-- Open-loop load against an endpoint, for every experiment with a request_rate axis: offered
-- and achieved request rates, throughput, latency quantiles of the requests that succeeded, the
-- error rate and goodput (requests per second that succeeded within the job's slo_ttft_ms and
-- slo_tpot_ms; 0: no objective). Each request is timed from its scheduled arrival, so queueing
-- shows in TTFT. Plot latency or goodput against request_rate.
CREATE OR REPLACE TEMPORARY VIEW load_sweep AS
SELECT run_id, experiment, point_id, engine, endpoint, request_rate,
  requests_per_s AS achieved_requests_per_s,
  output_tokens_per_s AS throughput_tokens_per_s,
  goodput_requests_per_s,
  error_rate, requests, failed_requests,
  ttft_p50_ms, ttft_p99_ms, tpot_p50_ms, tpot_p99_ms, itl_p50_ms, itl_p99_ms, e2e_p50_ms, e2e_p99_ms,
  ttft_p99_few_samples, slo_ttft_ms, slo_tpot_ms, max_tokens, prompt_tokens, temperature, top_p, top_k, seed
FROM points
WHERE request_rate > 0;

-- The sweet spot of each batch-size curve (a curve: the points of one run and experiment that
-- share every other axis, at least 3 of them), by two rules; `recommend` uses the Kneedle one (used = true).
--   notebook: the batch size where normalised p50 latency meets inverted normalised throughput,
--             i.e. the smallest |lat_norm - (1 - thr_norm)| (the seed notebook's rule);
--   kneedle:  Kneedle (Satopaa et al. 2011) on throughput against p50 latency: with both
--             normalised to [0, 1], the point of largest thr_norm - lat_norm.
-- Unstable points (points.unstable: their measured calls drifted) and points whose environment
-- changed while they ran (points.env_changed: their calibration probes before and after differ)
-- are left out of the curves; unstable_points_skipped and env_changed_points_skipped say how many
-- of a curve's.
CREATE OR REPLACE TEMPORARY VIEW sweet_spot AS
WITH marked AS (
  SELECT *,
    sum(CASE WHEN unstable THEN 1 ELSE 0 END) OVER (
      PARTITION BY run_id, experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed) AS unstable_points_skipped,
    sum(CASE WHEN env_changed AND NOT unstable THEN 1 ELSE 0 END) OVER (
      PARTITION BY run_id, experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed) AS env_changed_points_skipped
  FROM batch_sweep
  WHERE latency_p50_s IS NOT NULL AND throughput_tokens_per_s IS NOT NULL
),
curve AS (
  SELECT *,
    count(*) OVER w AS curve_points,
    (latency_p50_s - min(latency_p50_s) OVER w)
      / nullif(max(latency_p50_s) OVER w - min(latency_p50_s) OVER w, 0) AS latency_norm,
    (throughput_tokens_per_s - min(throughput_tokens_per_s) OVER w)
      / nullif(max(throughput_tokens_per_s) OVER w - min(throughput_tokens_per_s) OVER w, 0) AS throughput_norm
  FROM marked
  WHERE NOT unstable AND NOT env_changed
  WINDOW w AS (PARTITION BY run_id, experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed)
),
scored AS (
  SELECT *, 'notebook' AS rule, abs(latency_norm - (1 - throughput_norm)) AS score,
    row_number() OVER (PARTITION BY run_id, experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed
                       ORDER BY abs(latency_norm - (1 - throughput_norm)), batch_size) AS rn
  FROM curve WHERE curve_points >= 3
  UNION ALL
  SELECT *, 'kneedle' AS rule, throughput_norm - latency_norm AS score,
    row_number() OVER (PARTITION BY run_id, experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed
                       ORDER BY throughput_norm - latency_norm DESC, batch_size) AS rn
  FROM curve WHERE curve_points >= 3
)
SELECT run_id, experiment, rule, rule = 'kneedle' AS used_by_recommend, batch_size, point_id,
  max_tokens, prompt_tokens, temperature, top_p, top_k, seed,
  latency_p50_s, latency_p99_s, throughput_tokens_per_s, latency_samples, latency_norm,
  throughput_norm, score, curve_points, unstable_points_skipped, env_changed_points_skipped
FROM scored
WHERE rn = 1 AND latency_norm IS NOT NULL AND throughput_norm IS NOT NULL;

-- Throughput against latency for every point of a run, with the Pareto frontier marked (no
-- other point of the run is at least as fast and has at least the throughput); unstable points
-- and points whose environment changed while they ran are listed (unstable, env_changed = true)
-- but never on the frontier, and `recommend` skips them. On a GPU, tokens_per_joule is the
-- energy answer (`recommend --by energy`). The best point
-- within a latency budget B is the frontier point of highest throughput with latency <= B:
--   SELECT * FROM budget_frontier WHERE latency_p99_s <= 2.5 ORDER BY throughput_tokens_per_s DESC LIMIT 1
CREATE OR REPLACE TEMPORARY VIEW budget_frontier AS
SELECT run_id, experiment, point_id, batch_size, max_tokens, prompt_tokens,
  temperature, top_p, top_k,
  batch_p50_ms / 1000 AS latency_p50_s,
  batch_p99_ms / 1000 AS latency_p99_s,
  batch_p99_few_samples AS latency_p99_few_samples,
  batch_count AS latency_samples,
  output_tokens_per_s AS throughput_tokens_per_s,
  unstable,
  coalesce(env_changed, false) AS env_changed,
  tokens_per_joule, gpu_power_w,
  NOT unstable AND NOT coalesce(env_changed, false) AND output_tokens_per_s > coalesce(max(CASE WHEN NOT unstable AND NOT coalesce(env_changed, false) THEN output_tokens_per_s END) OVER (
      PARTITION BY run_id ORDER BY batch_p50_ms, output_tokens_per_s DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), -1) AS on_p50_frontier,
  NOT unstable AND NOT coalesce(env_changed, false) AND output_tokens_per_s > coalesce(max(CASE WHEN NOT unstable AND NOT coalesce(env_changed, false) THEN output_tokens_per_s END) OVER (
      PARTITION BY run_id ORDER BY batch_p99_ms, output_tokens_per_s DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), -1) AS on_p99_frontier
FROM points
WHERE batch_p50_ms IS NOT NULL AND output_tokens_per_s IS NOT NULL;

-- One row per metric of each point of a run compared with a baseline run (./submit compare, or a
-- job with compare.baseline): ratio run / baseline, 95% bootstrap interval resampling generate
-- calls, p-value and its Holm adjustment over the run's figures, verdict (faster, slower, no
-- significant change, environment, unstable, env changed, too few calls, not comparable, only in
-- run, only in baseline). Against a history (compare --baseline last:N) baseline_run_id is
-- `last-N`, baseline_run_ids lists the runs and run_spread is the run-to-run spread added to the
-- figure's interval. Files: ROOT/<run>/comparisons/<baseline_run_id>/. Regressions of every run:
--   SELECT * FROM comparisons WHERE verdict = 'slower'
-- Points are matched by experiment and every axis, request_rate included (an open-loop sweep is
-- compared rate by rate). Columns a file lacks read NULL: request_rate and run/baseline_engine in
-- comparisons written before they existed (those may pool the rates of an open-loop sweep).
-- A run never compared has no comparisons/: llm-sweep's commands then create this view empty
-- from the column list below; in a plain spark-sql session, make the directory first (or skip
-- this statement).
CREATE OR REPLACE TEMPORARY VIEW comparisons (
  run_id STRING, baseline_run_id STRING, experiment STRING, batch_size INT, max_tokens INT,
  prompt_tokens INT, temperature DOUBLE, top_p DOUBLE, top_k INT, seed BIGINT, ignore_eos BOOLEAN,
  request_rate DOUBLE, run_point_ids ARRAY<STRING>, baseline_point_ids ARRAY<STRING>, run_model STRING,
  baseline_model STRING, run_dtype STRING, baseline_dtype STRING, run_engine STRING,
  baseline_engine STRING, run_unstable BOOLEAN, baseline_unstable BOOLEAN, metric STRING, unit STRING,
  higher_is_better BOOLEAN, baseline_value DOUBLE, run_value DOUBLE, ratio DOUBLE, ci_low DOUBLE,
  ci_high DOUBLE, baseline_samples BIGINT, run_samples BIGINT, baseline_calls BIGINT, run_calls BIGINT,
  few_samples BOOLEAN, p_value DOUBLE, p_value_holm DOUBLE, verdict STRING,
  threshold DOUBLE, confidence DOUBLE, resamples INT, bootstrap_seed BIGINT,
  baseline_run_ids ARRAY<STRING>, run_env_changed BOOLEAN, baseline_env_changed BOOLEAN,
  baseline_run_values ARRAY<DOUBLE>, se_log_ratio DOUBLE, run_se_log DOUBLE, run_spread DOUBLE,
  env_factor DOUBLE, compared_at TIMESTAMP)
USING parquet OPTIONS (path '${results}/${run}/comparisons', recursiveFileLookup 'true');

-- A job's trend, run by run: one row per point of each run with the run's start, the point's p50
-- figures and throughput, its machine (each probe: the mean of its before and after readings;
-- NULL in points tables written before the probes) and its verdict in the run's latest comparison
-- (the worst over its figures: slower, environment, faster, env changed, unstable, else no
-- significant change; NULL when the run was never compared). Over run = * it is what
-- `./submit history` plots, one plot per experiment:
--   SELECT run_id, started_at, point, e2e_p50_ms, env_read_gbps, verdict FROM history
--   WHERE job_name = 'nightly' ORDER BY point, started_at
CREATE OR REPLACE TEMPORARY VIEW history AS
WITH latest AS (
  SELECT run_id, max(compared_at) AS compared_at FROM comparisons GROUP BY run_id
),
verdicts AS (
  SELECT c.run_id, c.experiment, c.batch_size, c.max_tokens, c.prompt_tokens, c.temperature, c.top_p,
    c.top_k, c.seed, coalesce(c.request_rate, 0) AS request_rate, max(c.baseline_run_id) AS baseline_run_id,
    max(CASE c.verdict WHEN 'slower' THEN 6 WHEN 'environment' THEN 5 WHEN 'faster' THEN 4
      WHEN 'env changed' THEN 3 WHEN 'unstable' THEN 2 ELSE 1 END) AS worst
  FROM comparisons c JOIN latest l ON c.run_id = l.run_id AND c.compared_at = l.compared_at
  WHERE c.run_point_ids IS NOT NULL
  GROUP BY c.run_id, c.experiment, c.batch_size, c.max_tokens, c.prompt_tokens, c.temperature, c.top_p,
    c.top_k, c.seed, coalesce(c.request_rate, 0)
)
SELECT p.run_id, r.job_name, r.status, r.started_at,
  concat(p.experiment, '[bs=', p.batch_size, ' mt=', p.max_tokens, ' pt=', p.prompt_tokens,
    ' t=', p.temperature, ' p=', p.top_p, ' k=', p.top_k, ' seed=', p.seed,
    CASE WHEN p.request_rate > 0 THEN concat(' rate=', p.request_rate, '/s') ELSE '' END, ']') AS point,
  p.experiment, p.batch_size, p.max_tokens, p.prompt_tokens, p.temperature, p.top_p, p.top_k, p.seed,
  p.request_rate, p.ttft_p50_ms, p.e2e_p50_ms, p.tpot_p50_ms, p.output_tokens_per_s AS throughput_tokens_per_s,
  (coalesce(p.env_read_gbps_before, p.env_read_gbps_after)
    + coalesce(p.env_read_gbps_after, p.env_read_gbps_before)) / 2 AS env_read_gbps,
  (coalesce(p.env_fma_gflops_before, p.env_fma_gflops_after)
    + coalesce(p.env_fma_gflops_after, p.env_fma_gflops_before)) / 2 AS env_fma_gflops,
  (coalesce(p.gpu_copy_gbps_before, p.gpu_copy_gbps_after)
    + coalesce(p.gpu_copy_gbps_after, p.gpu_copy_gbps_before)) / 2 AS gpu_copy_gbps,
  (coalesce(p.gpu_gemm_tflops_before, p.gpu_gemm_tflops_after)
    + coalesce(p.gpu_gemm_tflops_after, p.gpu_gemm_tflops_before)) / 2 AS gpu_gemm_tflops,
  p.env_changed, p.unstable,
  CASE v.worst WHEN 6 THEN 'slower' WHEN 5 THEN 'environment' WHEN 4 THEN 'faster' WHEN 3 THEN 'env changed'
    WHEN 2 THEN 'unstable' WHEN 1 THEN 'no significant change' END AS verdict,
  v.baseline_run_id
FROM points p
LEFT JOIN runs r ON r.run_id = p.run_id
LEFT JOIN verdicts v ON v.run_id = p.run_id AND v.experiment = p.experiment AND v.batch_size = p.batch_size
  AND v.max_tokens = p.max_tokens AND v.prompt_tokens = p.prompt_tokens AND v.temperature = p.temperature
  AND v.top_p = p.top_p AND v.top_k = p.top_k AND v.seed = p.seed AND v.request_rate = p.request_rate;
