-- What the points of run :run ran on, and how their figures were computed (the points view).
SELECT concat_ws(', ', sort_array(collect_set(concat(model, ' (', dtype, ')')))) AS models,
  concat_ws(', ', sort_array(array_distinct(flatten(collect_list(devices))))) AS devices,
  concat_ws(', ', sort_array(array_distinct(flatten(collect_list(device_names))))) AS device_names,
  count(*) AS points,
  first(metric_definitions) AS metric_definitions,
  first(quantile_method) AS quantile_method,
  first(ci_method) AS ci_method
FROM points
WHERE run_id = :run
