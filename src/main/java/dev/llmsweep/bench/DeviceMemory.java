package dev.llmsweep.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory in use on one GPU, sampled by {@code nvidia-smi} every 20 ms while it is open. It
 * counts what the device has handed out: PyTorch's cached blocks and the CUDA context (about 0.5
 * GB) included, so it bounds what the tensors themselves needed from above. Sampling slows kernel
 * launches: open it around untimed runs only.
 */
final class DeviceMemory implements AutoCloseable {
  private final Process process;
  private final AtomicLong peakMib = new AtomicLong();
  private final Thread reader;

  private DeviceMemory(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "nvidia-smi-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts sampling GPU {@code index}, or returns null when nvidia-smi is not there. */
  static DeviceMemory start(int index) {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
          "-i", Integer.toString(index), "-lms", "20").redirectErrorStream(true).start();
      return new DeviceMemory(p);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Memory in use on GPU {@code index} now, in bytes, from one nvidia-smi query (about 0.1 s: for
   * untimed runs); -1 when nvidia-smi is absent or answers no number.
   */
  static long usedBytes(int index) {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
          "-i", Integer.toString(index)).redirectErrorStream(true).start();
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

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        try {
          long mib = Long.parseLong(line.trim());
          peakMib.accumulateAndGet(mib, Math::max);
        } catch (NumberFormatException ignored) {
          // a warning line: not a sample
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Peak since this sampling started, in bytes. */
  long peakBytes() throws InterruptedException {
    Thread.sleep(100); // the samples of the last 20 ms still in flight
    return peakMib.get() * 1024 * 1024;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
