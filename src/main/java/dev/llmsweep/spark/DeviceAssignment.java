package dev.llmsweep.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which device a task's point runs on (executor side). A {@code gpu} point uses the GPU address
 * Spark assigned the task ({@code TaskContext.resourcesJMap().get("gpu")}) when the Spark conf
 * requests GPUs, and {@code gpu:0} otherwise (a single-GPU machine in local mode); a {@code cpu}
 * point runs on the CPU.
 *
 * @param device {@code cpu} or {@code gpu:N}
 * @param gpuAddress the address Spark assigned, or null without GPU scheduling
 */
public record DeviceAssignment(String device, String gpuAddress) {
  private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

  public static DeviceAssignment forTask(TaskContext task, String pointDevice) {
    String address = null;
    if (task != null) {
      ResourceInformation gpu = task.resourcesJMap().get("gpu");
      if (gpu != null && gpu.addresses().length > 0) {
        address = gpu.addresses()[0];
      }
    }
    if (!pointDevice.equals("gpu")) {
      return new DeviceAssignment("cpu", address);
    }
    return new DeviceAssignment("gpu:" + (address == null ? "0" : address), address);
  }

  /** The device's model name: the GPU's from nvidia-smi, the CPU's from /proc/cpuinfo. */
  public String deviceName() {
    return NAMES.computeIfAbsent(device, DeviceAssignment::lookUp);
  }

  private static String lookUp(String device) {
    if (device.startsWith("gpu:")) {
      String name = nvidiaSmiName(device.substring(4));
      return name != null ? name : device;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through to the architecture
    }
    return System.getProperty("os.arch");
  }

  private static String nvidiaSmiName(String index) {
    try {
      Process p =
          new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i", index)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
