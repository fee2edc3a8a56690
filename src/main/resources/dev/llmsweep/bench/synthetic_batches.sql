-- One batch row per (point, repetition) of the synthetic requests (temporary view
-- synthetic_requests), in the raw schema: latency a little over the slowest request.
SELECT run_id, point_id, experiment, repetition, first(warmup) AS warmup, first(proxy) AS proxy,
  first(model) AS model, first(dtype) AS dtype, first(device) AS device,
  first(device_name) AS device_name, first(executor_id) AS executor_id, first(host) AS host,
  first(batch_size) AS batch_size, first(max_tokens) AS max_tokens, max(prompt_tokens) AS prompt_tokens,
  first(temperature) AS temperature, first(top_p) AS top_p, first(top_k) AS top_k,
  first(seed) AS seed, first(ignore_eos) AS ignore_eos,
  min(submit_ns) AS submit_ns, min(submit_ns) + CAST(max(e2e_ms) * 1000000D AS BIGINT) + 100000 AS end_ns,
  CAST(array() AS ARRAY<BIGINT>) AS step_ns,
  max(e2e_ms) + 0.1D AS batch_latency_ms,
  max(ttft_ms) AS prefill_ms,
  CAST(array() AS ARRAY<DOUBLE>) AS decode_step_ms,
  sum(output_tokens) AS generated_tokens
FROM synthetic_requests
GROUP BY run_id, point_id, experiment, repetition
