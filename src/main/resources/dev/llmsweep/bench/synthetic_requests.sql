-- :rows synthetic request rows of run :run in the raw schema (docs/schema.md), spread over :points
-- points of three experiments (batch sizes; prompt lengths; temperature x top_p), each request
-- with :tokens output tokens. Repetition 0 of every point is a warm-up. Values are pseudo-random
-- (hash based), so sorting them costs what sorting real latencies costs. Six consecutive points of
-- an experiment share a seed, so the batch experiment has curves of the six batch sizes that differ
-- in nothing else (the sweet_spot view has rows to find).
WITH ids AS (
  SELECT id, CAST(id % :points AS INT) AS k, CAST(id DIV :points AS BIGINT) AS j FROM range(:rows)
),
placed AS (
  SELECT *,
    CASE k % 3 WHEN 0 THEN 'batch' WHEN 1 THEN 'seqlen' ELSE 'sampling' END AS experiment,
    element_at(array(1, 8, 32, 128, 256, 512), CAST((k DIV 3) % 6 AS INT) + 1) AS b
  FROM ids
)
SELECT
  :run AS run_id,
  lpad(CAST(k AS STRING), 5, '0') AS point_id,
  experiment,
  CAST(j DIV b AS INT) AS repetition,
  j DIV b = 0 AS warmup,
  false AS proxy,
  CAST(j % b AS INT) AS request_index,
  'synthetic:bench' AS model,
  'float32' AS dtype,
  'cpu' AS device,
  'synthetic CPU' AS device_name,
  CAST(k % 2 AS STRING) AS executor_id,
  concat('host-', k % 2) AS host,
  CAST(b AS INT) AS batch_size,
  :tokens AS max_tokens,
  CASE WHEN experiment = 'seqlen' THEN CAST(16 * (1 + (k DIV 3) % 4) AS INT) ELSE 6 END AS prompt_tokens,
  CASE WHEN experiment = 'sampling' THEN element_at(array(0.0D, 0.7D, 1.3D), CAST((k DIV 3) % 3 AS INT) + 1) ELSE 0.7D END AS temperature,
  CASE WHEN experiment = 'sampling' THEN element_at(array(0.8D, 0.9D, 1.0D), CAST((k DIV 9) % 3 AS INT) + 1) ELSE 0.9D END AS top_p,
  0 AS top_k,
  CAST(k DIV 18 AS BIGINT) AS seed,
  true AS ignore_eos,
  :tokens AS output_tokens,
  'length' AS finish_reason,
  id * 1000000 AS submit_ns,
  transform(sequence(1, :tokens), i -> id * 1000000 + i * 9000000 + abs(hash(id, i)) % 1000000) AS token_ns,
  20D + 0.05D * b + (abs(hash(id)) % 1000) / 100D AS ttft_ms,
  transform(sequence(1, :tokens - 1), i -> 8D + 0.01D * b + (abs(hash(id, i)) % 1000) / 500D) AS itl_ms,
  9D + 0.01D * b + (abs(hash(id, -1)) % 1000) / 1000D AS tpot_ms,
  20D + 0.05D * b + (:tokens - 1) * (9D + 0.01D * b) + (abs(hash(id, -2)) % 1000) / 100D AS e2e_ms
FROM placed
