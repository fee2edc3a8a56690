-- The sweet spots of run :run's batch-size curves, both rules, the recommended (Kneedle) one first.
SELECT * FROM sweet_spot
WHERE run_id = :run
ORDER BY experiment, max_tokens, prompt_tokens, temperature, top_p, top_k, seed, used_by_recommend DESC
