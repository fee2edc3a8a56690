/**
 * The machine's own speed, measured beside the model: the calibration probes an executor runs
 * before and after every point (host read bandwidth and FMA rate with the roofline kernels, GPU
 * telemetry from nvidia-smi), and the kernels {@code bench-engine} sets its figures against. Plain
 * Java, no Spark and no tensors: the engine side and the executors both use it.
 */
package dev.llmsweep.probe;
