-- Each compared run's machine, as its points' calibration probes measured it: per probe, the median
-- over the run's points of the mean of the probe before and after the point (either alone where
-- the other is missing); NULL where no point has it (a run written before the probes: Comparer
-- adds the columns as NULL). Throttled points: the device reported a throttle reason ('' and
-- 'none' are none). CPU free: the share of the host's CPU time other processes and the
-- hypervisor left to the run's points (median over its points). Needs the view `points` over the
-- runs. Parameters: :run, :baselines (',').
SELECT run_id,
  percentile((coalesce(env_read_gbps_before, env_read_gbps_after)
    + coalesce(env_read_gbps_after, env_read_gbps_before)) / 2, 0.5) AS read_gbps,
  percentile((coalesce(env_fma_gflops_before, env_fma_gflops_after)
    + coalesce(env_fma_gflops_after, env_fma_gflops_before)) / 2, 0.5) AS fma_gflops,
  percentile((coalesce(gpu_copy_gbps_before, gpu_copy_gbps_after)
    + coalesce(gpu_copy_gbps_after, gpu_copy_gbps_before)) / 2, 0.5) AS gpu_copy_gbps,
  percentile((coalesce(gpu_gemm_tflops_before, gpu_gemm_tflops_after)
    + coalesce(gpu_gemm_tflops_after, gpu_gemm_tflops_before)) / 2, 0.5) AS gpu_gemm_tflops,
  percentile(CAST(gpu_sm_clock_mhz AS DOUBLE), 0.5) AS sm_clock_mhz,
  percentile(CAST(gpu_mem_clock_mhz AS DOUBLE), 0.5) AS mem_clock_mhz,
  percentile(1 - env_cpu_others - coalesce(env_cpu_steal, 0), 0.5) AS cpu_free,
  count_if(gpu_throttle_reasons IS NOT NULL AND trim(gpu_throttle_reasons) NOT IN ('', 'none')) AS throttled_points,
  count(*) AS points
FROM points
WHERE run_id = :run OR array_contains(split(:baselines, ','), run_id)
GROUP BY run_id
