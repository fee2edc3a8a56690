package dev.llmsweep.cli;

import dev.llmsweep.engine.LocalDevices;
import dev.llmsweep.job.Experiment;
import dev.llmsweep.job.Job;
import java.util.Map;

/**
 * A job whose experiments ask for {@code device = gpu} and that would run in a local master ({@code
 * local}, {@code local[N]}: the points run in this JVM) needs a GPU on this machine; checked while
 * planning, before Spark starts or anything is written. On a cluster the GPUs are the executors',
 * which the driver cannot see, so the check is left to Spark's GPU scheduling.
 */
final class LocalGpuCheck {
  private LocalGpuCheck() {}

  static void require(Job job, Map<String, String> sparkSettings) {
    String master = sparkSettings.getOrDefault("spark.master", "local[1]");
    if (!master.matches("local(\\[.*])?")) {
      return;
    }
    for (int i = 0; i < job.experiments().size(); i++) {
      Experiment x = job.experiments().get(i);
      if (x.device().equals("gpu")) {
        LocalDevices.require(
            "gpu",
            job.file()
                + ": experiments["
                + i
                + "] ("
                + x.name()
                + ") device = gpu with master "
                + master,
            "device = cpu here, or --master/--conf-profile of a cluster with GPU executors (e.g. standalone-gpu)");
      }
    }
  }
}
