package dev.llmsweep.spec;

import dev.llmsweep.engine.SamplingParams;
import dev.llmsweep.spec.Point.Measurement;
import dev.llmsweep.spec.Point.ModelChoice;
import dev.llmsweep.spec.Point.Shape;
import dev.llmsweep.spec.Point.Stopping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable point ids: the first 16 hex digits of SHA-256 over every parameter of a point in a
 * fixed order. The same parameters give the same id in every run, which is what makes resume
 * and exactly-once commits work (driver side; the ids travel in the points). The order and the
 * text of each value are those of version {@code v1}: runs written before the point was split
 * into parts keep their ids.
 */
public final class PointIds {
  private PointIds() {}

  /**
   * The id of a point of {@code experiment}. Of the measurement, only repetitions, warm-ups and
   * the TTFT proxy count: the time limit and the steady-state settings do not change what is
   * measured.
   */
  public static String of(String experiment, ModelChoice model, Shape shape, SamplingParams sampling,
      Measurement measurement, Stopping stopping) {
    String canonical = String.join("\u0001", "v1", experiment, model.name(), model.dtype(), model.device(),
        Integer.toString(shape.batchSize()), Integer.toString(shape.maxTokens()),
        Integer.toString(shape.promptTokens()), String.join("\u0002", shape.prompts()),
        Double.toString(sampling.temperature()), Double.toString(sampling.topP()), Integer.toString(sampling.topK()),
        Long.toString(sampling.seed()), Integer.toString(measurement.repetitions()),
        Integer.toString(measurement.warmups()), Boolean.toString(stopping.ignoreEos()),
        String.join("\u0002", stopping.stops()), Boolean.toString(measurement.ttftProxy()));
    return sha256(canonical).substring(0, 16);
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
