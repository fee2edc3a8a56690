package dev.llmsweep.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Stable point ids: the first 16 hex digits of SHA-256 over every parameter of a point in a
 * fixed order. The same parameters give the same id in every run, which is what makes resume
 * and exactly-once commits work (driver side; the ids travel in the points).
 */
public final class PointIds {
  private PointIds() {}

  public static String of(String experiment, String model, String dtype, String device, int batchSize, int maxTokens,
      int promptTokens, List<String> prompts, double temperature, double topP, int topK, long seed, int repetitions,
      int warmups, boolean ignoreEos, List<String> stops, boolean ttftProxy) {
    String canonical = String.join("\u0001", "v1", experiment, model, dtype, device, Integer.toString(batchSize),
        Integer.toString(maxTokens), Integer.toString(promptTokens), String.join("\u0002", prompts),
        Double.toString(temperature), Double.toString(topP), Integer.toString(topK), Long.toString(seed),
        Integer.toString(repetitions), Integer.toString(warmups), Boolean.toString(ignoreEos),
        String.join("\u0002", stops), Boolean.toString(ttftProxy));
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
