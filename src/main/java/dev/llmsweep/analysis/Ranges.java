package dev.llmsweep.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which answers the 95% intervals cannot tell from the preferred one (plain Java, no Spark, so the
 * rules are tested on seeded figures). A rule's pick at the estimates stays the preferred answer;
 * these say how far it could move on a rerun.
 *
 * <p>Sweet spot: each point's score (Kneedle's {@code thr_norm - lat_norm}, the notebook's {@code
 * |lat_norm - (1 - thr_norm)|}) is computed at the ends of its latency and throughput intervals,
 * normalised with the curve's estimates as the {@code sweet_spot} view does, which gives a score
 * interval; a point whose score interval reaches the preferred point's is in the range. Budget: a
 * configuration whose latency interval reaches into the budget and whose throughput interval
 * overlaps the preferred one's cannot be told apart from it. Overlapping intervals are a
 * deliberately loose test (two 95% intervals can overlap a little while the difference is
 * significant): an answer named alone is one the intervals leave no doubt about.
 */
public final class Ranges {
  private Ranges() {}

  /**
   * The points of one batch-size curve whose score interval reaches the preferred point's, in
   * batch-size order; the preferred point is always among them.
   *
   * @param rule {@code kneedle} or {@code notebook}
   * @param curve the curve's points (stable ones, as the {@code sweet_spot} view takes them)
   * @param preferredPointId the point the rule picks at the estimates
   */
  public static List<Candidate> sweetSpot(
      String rule, List<Candidate> curve, String preferredPointId) {
    double latMin = curve.stream().mapToDouble(c -> c.latency().value()).min().orElse(0);
    double latMax = curve.stream().mapToDouble(c -> c.latency().value()).max().orElse(0);
    double thrMin = curve.stream().mapToDouble(c -> c.throughput().value()).min().orElse(0);
    double thrMax = curve.stream().mapToDouble(c -> c.throughput().value()).max().orElse(0);
    Candidate preferred =
        curve.stream()
            .filter(c -> c.choice().pointId().equals(preferredPointId))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the preferred point " + preferredPointId + " is not on the curve"));
    List<Candidate> sorted = new ArrayList<>(curve);
    sorted.sort(Comparator.comparingInt(Candidate::batchSize));
    if (!(latMax > latMin) || !(thrMax > thrMin)) {
      return List.of(preferred); // the view has no sweet spot for such a curve either
    }
    Norm lat = new Norm(latMin, latMax);
    Norm thr = new Norm(thrMin, thrMax);
    double[] best = score(rule, preferred, lat, thr);
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : sorted) {
      double[] s = score(rule, c, lat, thr);
      boolean reaches = "kneedle".equals(rule) ? s[1] >= best[0] : s[0] <= best[1];
      if (reaches || c == preferred) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The configurations the intervals cannot tell from the budget's preferred one, the preferred
   * first (then by throughput, highest first). When it fits: those whose latency interval reaches
   * into the budget and whose throughput interval overlaps the preferred's. When nothing fits at
   * the estimates: the fastest (the preferred) and those whose latency interval reaches into the
   * budget, which a rerun might find within it.
   *
   * @param ranked the stable points in the budget query's order, the preferred first
   * @param fits whether the preferred fits the budget at its estimate
   */
  public static List<Candidate> budget(List<Candidate> ranked, double budgetS, boolean fits) {
    Candidate preferred = ranked.get(0);
    List<Candidate> others = new ArrayList<>();
    for (Candidate c : ranked.subList(1, ranked.size())) {
      boolean mayFit = c.latency().low() <= budgetS;
      if (mayFit && (!fits || c.throughput().overlaps(preferred.throughput()))) {
        others.add(c);
      }
    }
    others.sort(Comparator.comparingDouble((Candidate c) -> -c.throughput().value()));
    List<Candidate> out = new ArrayList<>();
    out.add(preferred);
    out.addAll(others);
    return out;
  }

  /**
   * Whether the batch sizes of {@code range} are neighbours on {@code curve} (no point of the curve
   * between them left out).
   */
  public static boolean contiguous(List<Candidate> range, List<Candidate> curve) {
    int lo = range.stream().mapToInt(Candidate::batchSize).min().orElse(0);
    int hi = range.stream().mapToInt(Candidate::batchSize).max().orElse(0);
    return curve.stream().filter(c -> c.batchSize() >= lo && c.batchSize() <= hi).count()
        == range.size();
  }

  /**
   * The score interval {low, high} of a point under a rule (higher is better for Kneedle, lower for
   * the notebook's).
   */
  private static double[] score(String rule, Candidate c, Norm lat, Norm thr) {
    double latLow = lat.of(c.latency().low());
    double latHigh = lat.of(c.latency().high());
    double thrLow = thr.of(c.throughput().low());
    double thrHigh = thr.of(c.throughput().high());
    if ("kneedle".equals(rule)) {
      return new double[] {thrLow - latHigh, thrHigh - latLow};
    }
    // the notebook's |lat_norm - (1 - thr_norm)| over the box of both intervals; it grows with both
    double dLow = latLow + thrLow - 1;
    double dHigh = latHigh + thrHigh - 1;
    double low = dLow <= 0 && dHigh >= 0 ? 0 : Math.min(Math.abs(dLow), Math.abs(dHigh));
    return new double[] {low, Math.max(Math.abs(dLow), Math.abs(dHigh))};
  }

  /** Min-max normalisation with the curve's estimates (an unbounded end stays infinite). */
  private record Norm(double min, double max) {
    double of(double v) {
      return (v - min) / (max - min);
    }
  }
}
