/**
 * Comparison of two runs under one results root: points matched by experiment and parameters,
 * p50/p99 TTFT, E2E and TPOT and output throughput compared as a ratio with a seeded bootstrap
 * confidence interval from the pooled raw samples, a verdict against a threshold, the
 * {@code comparisons} table ({@code ROOT/<run>/comparisons/<baseline>/}) and the baseline
 * resolution ({@code previous} or a run id).
 *
 * <p>{@link dev.llmsweep.compare.Comparer} and {@link dev.llmsweep.compare.Baselines} run on the
 * driver; {@link dev.llmsweep.compare.ComparePointsFunction} and {@link dev.llmsweep.compare.Bootstrap}
 * run on the executors, one matched point at a time.
 */
package dev.llmsweep.compare;
