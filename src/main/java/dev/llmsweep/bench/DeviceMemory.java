package dev.llmsweep.bench;

import dev.llmsweep.probe.GpuTelemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Peak memory in use on one GPU, from its telemetry ({@link GpuTelemetry}) sampled every 20 ms
 * while it is open. It counts what the device has handed out: PyTorch's cached blocks and the CUDA
 * context (about 0.5 GB) included, so it bounds what the tensors themselves needed from above.
 * Sampling slows kernel launches: open it around untimed runs only.
 */
final class DeviceMemory implements AutoCloseable {
  private final GpuTelemetry telemetry;

  private DeviceMemory(GpuTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  /** Starts sampling GPU {@code index}, or returns null when nvidia-smi is not there. */
  static DeviceMemory start(int index) {
    GpuTelemetry t = GpuTelemetry.start(Integer.toString(index), 20);
    return t == null ? null : new DeviceMemory(t);
  }

  /**
   * Memory in use on GPU {@code index} now, in bytes, from one nvidia-smi query (about 0.1 s: for
   * untimed runs); -1 when nvidia-smi is absent or answers no number.
   */
  static long usedBytes(int index) {
    try {
      Process p =
          new ProcessBuilder(
                  "nvidia-smi",
                  "--query-gpu=memory.used",
                  "--format=csv,noheader,nounits",
                  "-i",
                  Integer.toString(index))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return Long.parseLong(out) * 1024 * 1024;
    } catch (IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Peak since this sampling started, in bytes. */
  long peakBytes() throws InterruptedException {
    Thread.sleep(100); // the samples of the last 20 ms still in flight
    return (long) telemetry.peakMemoryMib() * 1024 * 1024;
  }

  @Override
  public void close() {
    telemetry.close();
  }
}
