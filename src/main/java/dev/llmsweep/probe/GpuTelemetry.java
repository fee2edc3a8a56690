package dev.llmsweep.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One GPU's telemetry, sampled by {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits
 * -lms N} while it is open: SM and memory clocks, temperature, power draw, memory in use and the
 * active clock throttle reasons, each sample stamped with this JVM's monotonic clock when its line
 * arrives. The engine benchmark's peak memory ({@link DeviceMemory}) and the executor's per-point
 * telemetry both read it. Sampling costs the device some launch latency (nvidia-smi polling every
 * 20 ms made batch-1 steps on an H200 take 11 ms instead of 6): sweeps sample every {@link
 * #SWEEP_INTERVAL_MS}.
 */
public final class GpuTelemetry implements AutoCloseable {
  /** The fields queried, in the order of each output line. */
  public static final String FIELDS =
      "clocks.sm,clocks.mem,temperature.gpu,power.draw,memory.used,clocks_throttle_reasons.active";

  /** Sampling interval of a sweep's points. */
  public static final int SWEEP_INTERVAL_MS = 100;

  /**
   * The bits of {@code clocks_throttle_reasons.active} (NVML's {@code nvmlClocksThrottleReason*}),
   * by name; the idle bit is left out: a GPU between calls is idle, which slows nothing measured.
   */
  private static final String[] REASONS = {
    null,
    "applications_clocks_setting",
    "sw_power_cap",
    "hw_slowdown",
    "sync_boost",
    "sw_thermal_slowdown",
    "hw_thermal_slowdown",
    "hw_power_brake_slowdown",
    "display_clock_setting"
  };

  /**
   * One sample; NaN where the device reports a field as {@code [N/A]} or {@code [Not Supported]}.
   *
   * @param hostNanos when the line was read ({@link System#nanoTime})
   * @param throttleReasons the active reasons, comma-separated, null when none
   */
  public record Sample(
      long hostNanos,
      double smClockMhz,
      double memClockMhz,
      double temperatureC,
      double powerW,
      double memoryUsedMib,
      String throttleReasons) {}

  private final Process process;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread reader;

  private GpuTelemetry(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "nvidia-smi-telemetry");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts sampling GPU {@code index} every {@code intervalMs}, or returns null when nvidia-smi is
   * not there.
   */
  public static GpuTelemetry start(String index, int intervalMs) {
    return start("nvidia-smi", index, intervalMs);
  }

  /** The same with {@code tool} for nvidia-smi (tests give a script that prints what it prints). */
  static GpuTelemetry start(String tool, String index, int intervalMs) {
    try {
      Process p =
          new ProcessBuilder(
                  tool,
                  "--query-gpu=" + FIELDS,
                  "--format=csv,noheader,nounits",
                  "-i",
                  index,
                  "-lms",
                  Integer.toString(intervalMs))
              .redirectErrorStream(true)
              .start();
      return new GpuTelemetry(p);
    } catch (IOException e) {
      return null;
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Sample s = parse(line, System.nanoTime());
        if (s != null) {
          synchronized (samples) {
            samples.add(s);
          }
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /**
   * One output line of {@link #FIELDS}, or null when the line is not a sample (a warning, an
   * error).
   */
  static Sample parse(String line, long hostNanos) {
    String[] f = line.split(",");
    if (f.length != 6) {
      return null;
    }
    double sm = number(f[0]);
    double memoryUsed = number(f[4]);
    if (Double.isNaN(sm) && Double.isNaN(memoryUsed)) {
      return null;
    }
    return new Sample(
        hostNanos, sm, number(f[1]), number(f[2]), number(f[3]), memoryUsed, reasons(f[5].strip()));
  }

  private static double number(String field) {
    try {
      return Double.parseDouble(field.strip());
    } catch (NumberFormatException e) {
      return Double.NaN; // [N/A], [Not Supported]
    }
  }

  /**
   * The names of the set bits of a hex mask such as {@code 0x0000000000000004}; null for none or no
   * mask.
   */
  static String reasons(String hexMask) {
    if (!hexMask.startsWith("0x")) {
      return null;
    }
    long mask;
    try {
      mask = Long.parseUnsignedLong(hexMask.substring(2), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < 64; bit++) {
      if ((mask & (1L << bit)) != 0) {
        String name =
            bit < REASONS.length ? REASONS[bit] : String.format(Locale.ROOT, "0x%x", 1L << bit);
        if (name != null) {
          names.add(name);
        }
      }
    }
    return names.isEmpty() ? null : String.join(",", names);
  }

  /** The samples so far, oldest first. */
  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** Peak memory in use since sampling started, in MiB (0 without a sample). */
  public double peakMemoryMib() {
    return samples().stream()
        .mapToDouble(Sample::memoryUsedMib)
        .filter(v -> !Double.isNaN(v))
        .max()
        .orElse(0);
  }

  /** Stops sampling; the samples read by then stay. */
  @Override
  public void close() {
    process.destroy();
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Processes with a compute context on GPU {@code index} other than this JVM and its descendants
   * (a server it started), from {@code nvidia-smi --query-compute-apps=pid}; -1 when unknown.
   */
  public static int otherProcesses(String index) {
    return otherProcesses("nvidia-smi", index);
  }

  static int otherProcesses(String tool, String index) {
    try {
      Process p =
          new ProcessBuilder(
                  tool, "--query-compute-apps=pid", "--format=csv,noheader,nounits", "-i", index)
              .redirectErrorStream(true)
              .start();
      List<String> lines;
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        lines = in.lines().toList();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return -1;
      }
      return countOthers(lines, ours());
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Pids of this JVM and every process it started. */
  static Set<Long> ours() {
    Set<Long> pids = new HashSet<>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(h -> pids.add(h.pid()));
    return pids;
  }

  /** How many of the listed pids (one per line; other lines ignored) are not in {@code ours}. */
  static int countOthers(List<String> lines, Set<Long> ours) {
    Set<Long> others = new HashSet<>();
    for (String line : lines) {
      try {
        long pid = Long.parseLong(line.strip());
        if (!ours.contains(pid)) {
          others.add(pid);
        }
      } catch (NumberFormatException ignored) {
        // "No running processes found" and the like
      }
    }
    return others.size();
  }
}
