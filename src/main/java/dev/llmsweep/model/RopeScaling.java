package dev.llmsweep.model;

import dev.llmsweep.errors.BadInputException;

/**
 * Rotary position embedding parameters, from either {@code rope_theta} + {@code rope_scaling} (most
 * published checkpoints) or {@code rope_parameters} (newer transformers).
 *
 * @param type {@code default}, {@code linear} or {@code llama3}
 * @param theta the base
 * @param factor scaling factor (linear, llama3)
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositions llama3 only: the pre-training context
 */
public record RopeScaling(
    String type,
    double theta,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {

  public static RopeScaling plain(double theta) {
    return new RopeScaling("default", theta, 1, 0, 0, 0);
  }

  /**
   * The inverse frequencies, one per pair of head dimensions, computed as transformers does ({@code
   * 1 / theta^(2i/d)}, then scaled by type) in float32.
   */
  public float[] inverseFrequencies(int headDim) {
    float[] inv = new float[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      float exponent = (float) (2 * i) / headDim;
      inv[i] = (float) (1.0 / Math.pow(theta, exponent));
    }
    switch (type) {
      case "default" -> {}
      case "linear" -> {
        for (int i = 0; i < inv.length; i++) {
          inv[i] = (float) (inv[i] / factor);
        }
      }
      case "llama3" -> {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
          double freq = inv[i];
          double wavelen = 2 * Math.PI / freq;
          double scaled;
          if (wavelen < highFreqWavelen) {
            scaled = freq;
          } else if (wavelen > lowFreqWavelen) {
            scaled = freq / factor;
          } else {
            double smooth =
                (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
            scaled = (1 - smooth) * freq / factor + smooth * freq;
          }
          inv[i] = (float) scaled;
        }
      }
      default ->
          throw new BadInputException(
              "unsupported rope type '" + type + "': accepted are default, linear, llama3");
    }
    return inv;
  }
}
