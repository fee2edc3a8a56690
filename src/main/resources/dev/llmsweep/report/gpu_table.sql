-- GPU capacity of run :run, one row per point with device telemetry (GPU points), by experiment
-- and batch size: throughput, tokens per joule, power, energy, peak device memory, clocks,
-- temperature, throttling and other processes on the device. Empty for a CPU run.
SELECT experiment, batch_size,
  output_tokens_per_s AS throughput_tok_s,
  tokens_per_joule AS tok_per_j,
  gpu_power_w AS power_w,
  gpu_energy_j AS energy_j,
  gpu_peak_memory_mib AS peak_memory_mib,
  gpu_sm_clock_mhz AS sm_clock_mhz,
  gpu_temp_c_max AS temp_c_max,
  gpu_throttle_reasons AS throttle_reasons,
  gpu_other_processes AS other_processes,
  max_tokens, prompt_tokens, temperature, top_p, top_k, seed,
  coalesce(env_changed, false) AS env_changed, point_id
FROM points
WHERE run_id = :run AND telemetry_source IS NOT NULL
ORDER BY experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed, batch_size
