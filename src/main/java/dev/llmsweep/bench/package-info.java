/**
 * Benchmark harnesses that print figures (run by {@code submit bench-*}; the README smoke tests run
 * each at its smallest size and check what it prints, never its figures), and the measurements they
 * share with the sweep's executors: the host's calibration probe ({@link
 * dev.llmsweep.probe.HostProbe}, the benchmark's roofs cut down to milliseconds) and a GPU's
 * telemetry ({@link dev.llmsweep.probe.GpuTelemetry}).
 */
package dev.llmsweep.bench;
