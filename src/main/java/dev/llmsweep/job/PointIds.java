package dev.llmsweep.job;

import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.job.Point.Measurement;
import dev.llmsweep.job.Point.ModelChoice;
import dev.llmsweep.job.Point.Shape;
import dev.llmsweep.job.Point.Stopping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable point ids: the first 16 hex digits of SHA-256 over every parameter of a point in a fixed
 * order. The same parameters give the same id in every run, which is what makes resume and
 * exactly-once commits work (driver side; the ids travel in the points). The order and the text of
 * each value are those of version {@code v1}: runs written before the point was split into parts
 * keep their ids.
 */
public final class PointIds {
  private PointIds() {}

  /**
   * The id of a point of {@code experiment}. Of the measurement, only repetitions, warm-ups and the
   * TTFT proxy count: the time limit and the steady-state settings do not change what is measured.
   */
  public static String of(
      String experiment,
      ModelChoice model,
      Shape shape,
      SamplingParams sampling,
      Measurement measurement,
      Stopping stopping) {
    return of(experiment, model, shape, sampling, measurement, stopping, Serving.builtin());
  }

  /**
   * The id of a point run by {@code serving}'s engine: a built-in point's id is the {@code v1} id
   * above; an endpoint point's also hashes where its requests go (the endpoint, or the server
   * command), the API and its load (request rate, arrivals, requests or duration). The API key's
   * variable, the timeouts and the SLOs do not change what is measured.
   */
  public static String of(
      String experiment,
      ModelChoice model,
      Shape shape,
      SamplingParams sampling,
      Measurement measurement,
      Stopping stopping,
      Serving serving) {
    String v1 = v1(experiment, model, shape, sampling, measurement, stopping);
    if (!serving.isEndpoint()) {
      return sha256(v1).substring(0, 16);
    }
    Serving.Load load = serving.load();
    String endpoint =
        String.join(
            "\u0001",
            v1,
            "openai",
            serving.endpoint() != null
                ? serving.endpoint()
                : "server " + serving.server().command(),
            serving.api().label(),
            Double.toString(load.requestRate()),
            load.arrivals().label(),
            Integer.toString(load.requests()),
            Double.toString(load.durationS()),
            Integer.toString(serving.vocabSize()));
    return sha256(endpoint).substring(0, 16);
  }

  private static String v1(
      String experiment,
      ModelChoice model,
      Shape shape,
      SamplingParams sampling,
      Measurement measurement,
      Stopping stopping) {
    String canonical =
        String.join(
            "\u0001",
            "v1",
            experiment,
            model.name(),
            model.dtype(),
            model.device(),
            Integer.toString(shape.batchSize()),
            Integer.toString(shape.maxTokens()),
            Integer.toString(shape.promptTokens()),
            String.join("\u0002", shape.prompts()),
            Double.toString(sampling.temperature()),
            Double.toString(sampling.topP()),
            Integer.toString(sampling.topK()),
            Long.toString(sampling.seed()),
            Integer.toString(measurement.repetitions()),
            Integer.toString(measurement.warmups()),
            Boolean.toString(stopping.ignoreEos()),
            String.join("\u0002", stopping.stops()),
            Boolean.toString(measurement.ttftProxy()));
    return canonical;
  }

  public static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
