-- What a reader must know before trusting run :run's figures: one line per fact (not one per
-- metric or per point), each with how many points it concerns; facts of no point are left out.
WITH p AS (SELECT * FROM points WHERE run_id = :run),
facts AS (
  SELECT 1 AS o, 'no measured batches: every figure of these points is missing' AS warning,
    count_if(coalesce(batch_count, 0) = 0) AS points
  FROM p
  UNION ALL
  SELECT 2, concat('p99 figures rest on fewer than 100 generate calls (',
      CASE WHEN min(batch_calls) = max(batch_calls) THEN CAST(min(batch_calls) AS STRING)
        ELSE concat(min(batch_calls), ' to ', max(batch_calls)) END,
      ' calls a point): each is about the slowest call, and its interval is wide or unbounded'),
    count(*)
  FROM p WHERE batch_calls BETWEEN 1 AND 99
  UNION ALL
  SELECT 3, 'samples are clustered by generate call: the requests of one call share its prefill (so its TTFT) and,'
      || ' with ignore_eos, its E2E; intervals, small-sample flags and comparisons count calls, not requests',
    count_if(batch_size > 1 AND batch_calls > 0)
  FROM p
  UNION ALL
  SELECT 4, concat('unstable: the median decode step of the second half of the measured calls differs from that'
      || ' of the first half by more than ', CAST(round(100 * :drift_tolerance) AS INT), '% (',
      array_join(array_sort(collect_list(CASE WHEN unstable THEN concat(experiment, '[bs=', batch_size, ' mt=',
        max_tokens, ' t=', temperature, ' p=', top_p, ']') END)), ', '),
      '); the sweet spot and recommend leave them out'),
    count_if(unstable)
  FROM p
  UNION ALL
  SELECT 5, concat('env_changed: the machine changed while these points ran: their calibration probes after the'
      || ' point differ from those before it by more than the tolerance (',
      array_join(array_sort(collect_list(CASE WHEN env_changed THEN concat(experiment, '[bs=', batch_size, ' mt=',
        max_tokens, ' t=', temperature, ' p=', top_p, ': ', CAST(round(100 * env_change) AS INT), '%]') END)), ', '),
      '); the sweet spot and recommend leave them out'),
    count_if(env_changed)
  FROM p
)
SELECT warning, points FROM facts WHERE points > 0 ORDER BY o
