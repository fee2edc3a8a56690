/**
 * The sweep on Spark. Driver side: {@link dev.llmsweep.spark.SweepJob} (plan to Spark jobs,
 * resume), {@link dev.llmsweep.spark.SweepAttempt} (the attempt's manifest), {@link
 * dev.llmsweep.spark.SparkSettings} (one resolver for Spark properties) and {@link
 * dev.llmsweep.spark.ProgressListener}. Executor side: {@link dev.llmsweep.spark.RunPointsFunction}
 * (the partition function), {@link dev.llmsweep.spark.ModelCache} (one loaded model per device per
 * JVM), {@link dev.llmsweep.spark.PointRunner} (warm-ups, repetitions and proxy calls through the
 * engine) and {@link dev.llmsweep.spark.DeviceAssignment} (the GPU address Spark assigned), {@link
 * dev.llmsweep.spark.EnvironmentWatch} (the calibration probes and device telemetry around each
 * point, through {@link dev.llmsweep.spark.EnvironmentProbes}). Never touches an NDArray: the
 * engine does that.
 */
package dev.llmsweep.spark;
