-- The synthetic run's manifest row (runs/run.parquet).
SELECT :run AS run_id, 'synthetic bench-views data' AS job, current_timestamp() AS written_at
