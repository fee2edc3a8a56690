package dev.llmsweep.compare;

import java.util.List;

/**
 * One side's measured samples of a matched point, grouped by generate call (executor side, or a
 * test's simulation): per call, its requests' TTFT, E2E and TPOT samples; per call, its batch
 * latency and generated tokens. Warm-up and proxy calls are not here.
 *
 * @param ttft per call, its requests' TTFTs in ms
 * @param e2e per call, its requests' E2Es in ms
 * @param tpot per call, its requests' TPOTs in ms (requests of one token have none)
 * @param batchLatencyMs per call, its wall time
 * @param batchTokens per call, the tokens it generated
 */
public record PointSamples(
    List<double[]> ttft,
    List<double[]> e2e,
    List<double[]> tpot,
    double[] batchLatencyMs,
    double[] batchTokens) {

  /** No samples: the point is missing on this side. */
  public static PointSamples none() {
    return new PointSamples(List.of(), List.of(), List.of(), new double[0], new double[0]);
  }

  /** A family's samples by call ({@code ttft}, {@code e2e} or {@code tpot}). */
  List<double[]> family(String name) {
    return switch (name) {
      case "ttft" -> ttft;
      case "e2e" -> e2e;
      case "tpot" -> tpot;
      default -> throw new IllegalArgumentException(name);
    };
  }
}
