-- The synthetic run's manifest row (runs/run.parquet): the columns a sweep's manifest table has
-- that the views read (runs, history).
SELECT :run AS run_id, 'synthetic bench-views data' AS job, 'bench-views' AS job_name, 'completed' AS status,
  date_format(current_timestamp(), "yyyy-MM-dd'T'HH:mm:ss'Z'") AS started_at, current_timestamp() AS written_at
