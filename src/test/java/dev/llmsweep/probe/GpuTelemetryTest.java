package dev.llmsweep.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device telemetry as nvidia-smi gives it, without a GPU: a fake {@code nvidia-smi} script that
 * answers the queries the sampler makes with lines in the real tool's format ({@code
 * --format=csv,noheader,nounits}: values separated by ", ", {@code [N/A]} where a field is not
 * available, the throttle reasons as a 64-bit hex mask; {@code -lms N} repeats the query every N ms
 * until killed).
 */
class GpuTelemetryTest {
  @TempDir Path dir;

  /**
   * Writes the fake tool: 3 samples of GPU 3 (one with no power reading), then it keeps sampling
   * idle.
   */
  private Path fakeTool() throws Exception {
    Path tool = dir.resolve("nvidia-smi");
    Files.writeString(
        tool,
        """
        #!/usr/bin/env bash
        # a stand-in for nvidia-smi on a machine without a GPU: what the real tool prints for these queries
        args="$*"
        case "$args" in
          *--query-gpu=clocks.sm,clocks.mem,temperature.gpu,power.draw,memory.used,clocks_throttle_reasons.active*"-i 3"*)
            echo "1980, 2619, 61, 412.35, 20480, 0x0000000000000000"
            echo "1755, 2619, 66, 699.10, 30720, 0x0000000000000004"
            echo "1980, 2619, 64, [N/A], 25600, 0x0000000000000001"
            while true; do sleep 0.05; echo "345, 2619, 40, 70.00, 512, 0x0000000000000001"; done ;;
          *--query-compute-apps=pid*"-i 3"*)
            echo "4242"
            echo "4343"
            echo "$PPID" ;;
          *)
            echo "No devices were found"; exit 6 ;;
        esac
        """);
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tool;
  }

  @Test
  void samplesClocksPowerMemoryAndThrottleReasonsUntilClosed() throws Exception {
    Path tool = fakeTool();
    List<GpuTelemetry.Sample> samples;
    try (GpuTelemetry t = GpuTelemetry.start(tool.toString(), "3", 50)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (t.samples().size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      samples = t.samples();
      assertEquals(30720, t.peakMemoryMib(), 0, "peak memory over the samples, MiB");
    }
    assertTrue(samples.size() >= 4, "the sampler reads every line the tool prints: " + samples);
    GpuTelemetry.Sample first = samples.get(0);
    assertEquals(1980, first.smClockMhz(), 0);
    assertEquals(2619, first.memClockMhz(), 0);
    assertEquals(61, first.temperatureC(), 0);
    assertEquals(412.35, first.powerW(), 1e-9);
    assertEquals(20480, first.memoryUsedMib(), 0);
    assertNull(first.throttleReasons(), "no reason active");
    assertEquals(
        "sw_power_cap",
        samples.get(1).throttleReasons(),
        "bit 2 of the mask is the software power cap");
    assertTrue(Double.isNaN(samples.get(2).powerW()), "[N/A] reads as not measured, not as 0 W");
    assertNull(samples.get(2).throttleReasons(), "gpu_idle is no slowdown: left out");
    for (int i = 1; i < samples.size(); i++) {
      assertTrue(
          samples.get(i).hostNanos() >= samples.get(i - 1).hostNanos(),
          "stamped in order of arrival");
    }
  }

  @Test
  void countsTheOtherProcessesOnTheDevice() throws Exception {
    Path tool = fakeTool();
    assertEquals(
        2,
        GpuTelemetry.otherProcesses(tool.toString(), "3"),
        "4242 and 4343 are others; the tool's parent is this JVM, which is ours");
    assertEquals(
        -1, GpuTelemetry.otherProcesses(tool.toString(), "0"), "a failing query: unknown, not 0");
    assertEquals(
        1,
        GpuTelemetry.countOthers(List.of("17", "No running processes found", "18"), Set.of(18L)));
  }

  @Test
  void readsOnlySampleLinesAndDecodesEveryThrottleBit() {
    assertNull(
        GpuTelemetry.parse(
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 1));
    assertNull(
        GpuTelemetry.parse("[N/A], [N/A], [N/A], [N/A], [N/A], [N/A]", 1),
        "a line without clock or memory");
    assertEquals(
        "hw_slowdown,hw_thermal_slowdown,hw_power_brake_slowdown",
        GpuTelemetry.reasons("0x00000000000000C8"));
    assertNull(GpuTelemetry.reasons("[Not Supported]"));
    assertNull(
        GpuTelemetry.start(dir.resolve("absent").toString(), "0", 100), "no tool: no telemetry");
  }
}
