-- The pooled raw samples of two runs, matched point by point: one row per (experiment and
-- parameters) present in either run, with each side's samples (NULL side: the point is missing
-- from that run). Needs the views `points`, `requests` and `batches` over both runs
-- (conf/views.sql with run = {RUN,BASELINE}; `points` with its serving columns filled for tables
-- written before them: Comparer). Parameters: :run, :baselines (the baseline run ids joined by
-- ',': one run for a run id or `previous`, the history's runs for `last:N`).
-- Points are matched by experiment and every axis, not by point_id: a point id also hashes the
-- model, repetitions and warm-ups, so a run with more repetitions or a new model directory still
-- matches its baseline. The axes include request_rate (an open-loop point's offered load; 0 for a
-- closed-loop batch, as in a points table written before the column existed): points that differ
-- only in their load are never pooled. The engine is not matched on, like the model: each side's
-- is shown (run_engine, baseline_engine). The endpoint (a per-executor port) and the SLOs (they
-- change goodput only, which is not compared) are neither matched on nor shown. Warm-up and
-- proxy calls are excluded from every sample. Request samples stay grouped by generate call
-- (run_calls, baseline_calls): the bootstrap resamples calls.
-- run_unstable / baseline_unstable: the side's point drifted during its measured calls (points.unstable).
-- run_env_changed / baseline_env_changed: the side's probes before and after the point differ
-- beyond the tolerance (points.env_changed; NULL in tables written before the probes: false).
-- Over several baseline runs, the runs where the point is flagged are left out of its baseline;
-- the baseline side is flagged only when the point is flagged in every one of them.
-- Each call and batch carries its run_id, so the baseline side of several runs stays grouped by run.
WITH keyed AS (
  SELECT run_id, CASE WHEN run_id = :run THEN 'run' ELSE 'baseline' END AS side, point_id, experiment,
    batch_size, max_tokens, prompt_tokens, temperature, top_p, top_k, seed, ignore_eos, request_rate,
    model, dtype, engine, coalesce(unstable, false) AS unstable,
    coalesce(env_changed, false) AS env_changed
  FROM points
  WHERE run_id = :run OR array_contains(split(:baselines, ','), run_id)
),
usable AS (
  -- a baseline of several runs (last:N) leaves out the runs where the point was unstable or its
  -- environment changed, as long as one run had it clean: with five runs, a point flagged in any
  -- one of them would otherwise drop out of the comparison (7 of 12 figures of a quiet 110M job)
  SELECT * FROM (
    SELECT *, bool_or(NOT unstable AND NOT env_changed) OVER (PARTITION BY side, experiment,
      batch_size, max_tokens, prompt_tokens, temperature, top_p, top_k, seed, ignore_eos,
      request_rate) AS any_clean
    FROM keyed
  )
  WHERE side = 'run' OR NOT any_clean OR (NOT unstable AND NOT env_changed)
),
calls AS (
  -- one row per measured generate call: its requests' samples (the call is the resampling unit)
  SELECT run_id, point_id, repetition,
    collect_list(CAST(ttft_ms AS DOUBLE)) AS ttft,
    collect_list(CAST(e2e_ms AS DOUBLE)) AS e2e,
    collect_list(CAST(tpot_ms AS DOUBLE)) AS tpot
  FROM requests
  WHERE NOT warmup AND NOT proxy AND (run_id = :run OR array_contains(split(:baselines, ','), run_id))
  GROUP BY run_id, point_id, repetition
),
request_samples AS (
  SELECT run_id, point_id,
    collect_list(named_struct('run_id', run_id, 'ttft', ttft, 'e2e', e2e, 'tpot', tpot)) AS calls
  FROM calls
  GROUP BY run_id, point_id
),
batch_samples AS (
  SELECT run_id, point_id,
    collect_list(named_struct('latency_ms', CAST(batch_latency_ms AS DOUBLE),
      'tokens', CAST(generated_tokens AS DOUBLE), 'run_id', run_id)) AS batches
  FROM batches
  WHERE NOT warmup AND NOT proxy AND batch_latency_ms IS NOT NULL AND generated_tokens IS NOT NULL
    AND (run_id = :run OR array_contains(split(:baselines, ','), run_id))
  GROUP BY run_id, point_id
),
sides AS (
  -- points of one side with equal parameters are pooled: not expected within a run; over the
  -- baseline runs of last:N, each call keeps its run_id
  SELECT k.side, k.experiment, k.batch_size, k.max_tokens, k.prompt_tokens, k.temperature,
    k.top_p, k.top_k, k.seed, k.ignore_eos, k.request_rate,
    array_sort(collect_set(k.point_id)) AS point_ids,
    array_join(array_sort(collect_set(k.model)), ', ') AS model,
    array_join(array_sort(collect_set(k.dtype)), ', ') AS dtype,
    array_join(array_sort(collect_set(k.engine)), ', ') AS engine,
    bool_or(k.unstable) AS unstable,
    bool_or(k.env_changed) AS env_changed,
    flatten(collect_list(r.calls)) AS calls,
    flatten(collect_list(b.batches)) AS batches
  FROM usable k
  LEFT JOIN request_samples r ON r.run_id = k.run_id AND r.point_id = k.point_id
  LEFT JOIN batch_samples b ON b.run_id = k.run_id AND b.point_id = k.point_id
  GROUP BY k.side, k.experiment, k.batch_size, k.max_tokens, k.prompt_tokens, k.temperature,
    k.top_p, k.top_k, k.seed, k.ignore_eos, k.request_rate
),
cur AS (SELECT * FROM sides WHERE side = 'run'),
base AS (SELECT * FROM sides WHERE side = 'baseline')
SELECT
  coalesce(c.experiment, b.experiment) AS experiment,
  coalesce(c.batch_size, b.batch_size) AS batch_size,
  coalesce(c.max_tokens, b.max_tokens) AS max_tokens,
  coalesce(c.prompt_tokens, b.prompt_tokens) AS prompt_tokens,
  coalesce(c.temperature, b.temperature) AS temperature,
  coalesce(c.top_p, b.top_p) AS top_p,
  coalesce(c.top_k, b.top_k) AS top_k,
  coalesce(c.seed, b.seed) AS seed,
  coalesce(c.ignore_eos, b.ignore_eos) AS ignore_eos,
  coalesce(c.request_rate, b.request_rate) AS request_rate,
  c.point_ids AS run_point_ids, b.point_ids AS baseline_point_ids,
  c.model AS run_model, b.model AS baseline_model,
  c.dtype AS run_dtype, b.dtype AS baseline_dtype,
  c.engine AS run_engine, b.engine AS baseline_engine,
  c.unstable AS run_unstable, b.unstable AS baseline_unstable,
  c.env_changed AS run_env_changed, b.env_changed AS baseline_env_changed,
  c.calls AS run_calls, b.calls AS baseline_calls,
  c.batches AS run_batches, b.batches AS baseline_batches
FROM cur c FULL OUTER JOIN base b
  ON c.experiment = b.experiment AND c.batch_size = b.batch_size AND c.max_tokens = b.max_tokens
  AND c.prompt_tokens = b.prompt_tokens AND c.temperature = b.temperature AND c.top_p = b.top_p
  AND c.top_k = b.top_k AND c.seed = b.seed AND c.ignore_eos = b.ignore_eos
  AND c.request_rate = b.request_rate
