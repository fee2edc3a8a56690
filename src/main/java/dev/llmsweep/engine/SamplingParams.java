package dev.llmsweep.engine;

import dev.llmsweep.errors.BadInputException;
import java.io.Serializable;

/**
 * How the next token is chosen. Temperature 0 is greedy (argmax); otherwise logits are divided by
 * the temperature, filtered by top-k (0 = off) and top-p (1.0 = off), and sampled with a generator
 * seeded per request from {@code seed}. Serializable: a sweep point carries one to its executor.
 */
public record SamplingParams(double temperature, double topP, int topK, long seed)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public SamplingParams {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new BadInputException("temperature must be >= 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new BadInputException("top_p must be in (0, 1], got " + topP);
    }
    if (topK < 0) {
      throw new BadInputException("top_k must be >= 0 (0 disables it), got " + topK);
    }
  }

  public static SamplingParams greedy() {
    return new SamplingParams(0, 1, 0, 0);
  }

  /** The settings a backend's sampler takes. */
  public dev.llmsweep.model.Decoder.Sampling toSampling() {
    return new dev.llmsweep.model.Decoder.Sampling(temperature, topK, topP);
  }

  public boolean isGreedy() {
    return temperature == 0 || topK == 1;
  }
}
