/**
 * Comparison of two runs under one results root: points matched by experiment and parameters,
 * p50/p99 TTFT, E2E and TPOT and output throughput compared as a ratio with a seeded bootstrap
 * confidence interval from the pooled raw samples, a verdict against a threshold, the {@code
 * comparisons} table ({@code ROOT/<run>/comparisons/<baseline>/}) and the baseline resolution
 * ({@code previous}, {@code last:N} or a run id). Against a history ({@code last:N}) the baseline
 * runs are resampled hierarchically and their run-to-run spread ({@link
 * dev.llmsweep.compare.RunSpread}) enters every verdict; the machine's probes ({@link
 * dev.llmsweep.compare.RunEnvironment}, {@link dev.llmsweep.compare.EnvironmentChange}) decide
 * whether a change is the machine's ({@link dev.llmsweep.compare.Judge}).
 *
 * <p>{@link dev.llmsweep.compare.Comparer}, {@link dev.llmsweep.compare.Baselines} and {@link
 * dev.llmsweep.compare.Judge} run on the driver; {@link dev.llmsweep.compare.ComparePointsFunction}
 * and {@link dev.llmsweep.compare.Bootstrap} run on the executors, one matched point at a time.
 */
package dev.llmsweep.compare;
