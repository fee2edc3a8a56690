-- What the benchmark built: request rows, ITL samples, batch rows (views requests and batches).
SELECT
  (SELECT count(*) FROM requests) AS request_rows,
  (SELECT sum(size(itl_ms)) FROM requests) AS itl_samples,
  (SELECT count(*) FROM batches) AS batch_rows
