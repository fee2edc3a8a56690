/**
 * Aggregation of pooled raw measurements into the {@code points} table, the SQL views over the
 * results ({@code conf/views.sql}), the sweet-spot (knee) rules and the latency-budget
 * recommendation, each with what the points' 95% intervals (and the job's earlier runs) leave open
 * about it ({@link dev.llmsweep.analysis.Ranges}, {@link dev.llmsweep.analysis.RunSpread}).
 *
 * <p>Everything here runs on the driver, except {@link
 * dev.llmsweep.analysis.SampleSummaryFunction}, a Spark aggregate function whose buffers live on
 * the executors. Percentiles always come from the pooled raw samples of a point (every executor,
 * file and repetition together), never from averaged per-executor or per-repetition percentiles.
 */
package dev.llmsweep.analysis;
