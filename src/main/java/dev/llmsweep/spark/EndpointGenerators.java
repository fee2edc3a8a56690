package dev.llmsweep.spark;

import dev.llmsweep.engine.Generator;
import dev.llmsweep.engine.openai.OpenAiGenerator;
import dev.llmsweep.engine.openai.ServerProcess;
import dev.llmsweep.job.Serving;
import java.nio.file.Path;

/**
 * The endpoint engine on an executor (executor side): a generator that sends to the job's running
 * endpoint, or one that owns the server this executor started for its device from {@code
 * server.command}. Held in the {@link ModelCache} like a loaded model, keyed by {@link #cacheKey},
 * so each executor JVM and device starts its server once, and stops it when the generator is closed
 * (another model for the device, a discarded model, the JVM's end).
 */
final class EndpointGenerators {
  private EndpointGenerators() {}

  /**
   * The cache key of an endpoint point on a device: one server or client per settings and model.
   */
  static ModelCache.Key cacheKey(Serving serving, String model, String device) {
    String where =
        serving.server() != null ? "server " + serving.server().command() : serving.endpoint();
    return new ModelCache.Key(
        "openai " + serving.api().label() + " " + where + " " + model, "server", device);
  }

  /**
   * Connects to the endpoint, or starts this device's server and waits until it answers.
   *
   * @param logDir where a started server's output goes
   */
  static Generator load(
      Serving serving,
      String model,
      DeviceAssignment device,
      String executorId,
      String host,
      Path logDir) {
    if (serving.server() == null) {
      return new OpenAiGenerator(serving.toEndpoint(model), "endpoint");
    }
    String gpu =
        device.gpuAddress() != null
            ? device.gpuAddress()
            : device.device().startsWith("gpu:") ? device.device().substring(4) : "";
    Path log =
        logDir.resolve(safe(host) + "-" + safe(executorId) + "-" + safe(device.device()) + ".log");
    Serving.Server how = serving.server();
    ServerProcess server =
        ServerProcess.start(
            how.command(),
            gpu,
            model,
            log,
            how.startTimeoutS(),
            how.basePath(),
            how.ready(),
            serving.toEndpoint(model));
    try {
      return OpenAiGenerator.withServer(serving.toEndpoint(model), device.device(), server);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
