package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the 95% intervals leave open about the recommendations, on seeded figures (no Spark): a
 * curve whose sweet spot the intervals cannot pin down gives a range, a sharp knee one batch size;
 * budget choices whose throughputs overlap are reported as indistinguishable, a clear winner alone.
 */
class RangesTest {
  private static final int[] BATCH = {1, 2, 4, 8, 16, 32, 64};

  /** A sharp knee at batch 8: latency flat up to it, throughput flat after it. */
  private static final double[] KNEE_S = {1.0, 1.0, 1.0, 1.0, 2.0, 4.0, 8.0};

  /**
   * A gradual curve: throughput keeps growing past the knee, slower and slower (Kneedle picks 16).
   */
  private static final double[] GRADUAL_S = {1.0, 1.2, 1.6, 2.4, 4.0, 7.0, 13.0};

  private static final double TOKENS = 100; // per request of a call

  /**
   * The curve's points, each latency with a symmetric relative interval and the throughput's from
   * it.
   */
  static List<Candidate> curve(double[] latencyS, double relative) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < BATCH.length; i++) {
      double l = latencyS[i];
      double thr = BATCH[i] * TOKENS / l;
      Estimate lat = Estimate.of(l, l * (1 - relative), l * (1 + relative));
      out.add(new Candidate(choice("b" + BATCH[i], BATCH[i], l, thr), lat, lat.throughputOf(thr)));
    }
    return out;
  }

  static Choice choice(String id, int batch, double latencyS, double throughput) {
    return new Choice(
        "batch_sweep", id, batch, 32, 6, 0.7, 0.9, 0, latencyS, throughput, 10, false);
  }

  static List<Integer> sizes(List<Candidate> cs) {
    return cs.stream().map(Candidate::batchSize).toList();
  }

  @Test
  void aSharpKneeGivesOneBatchSizeByBothRules() {
    List<Candidate> c = curve(KNEE_S, 0.02);
    assertEquals(List.of(8), sizes(Ranges.sweetSpot("kneedle", c, "b8")));
    assertEquals(List.of(8), sizes(Ranges.sweetSpot("notebook", c, "b8")));
    SweetSpot s =
        new SweetSpot(
            "kneedle", true, c.get(3).choice(), 7, 0, Ranges.sweetSpot("kneedle", c, "b8"), true);
    assertFalse(s.isRange());
    assertTrue(
        s.describeRange()
            .startsWith(
                "batch 8 alone: every other batch size of the curve scores lower beyond"
                    + " the 95% intervals"),
        s.describeRange());
  }

  @Test
  void aCurveFlatWithinItsIntervalsGivesARangeAroundTheRulesPick() {
    List<Candidate> wide = curve(GRADUAL_S, 0.05);
    List<Candidate> range = Ranges.sweetSpot("kneedle", wide, "b16");
    assertEquals(List.of(8, 16, 32), sizes(range));
    assertTrue(Ranges.contiguous(range, wide));
    SweetSpot s = new SweetSpot("kneedle", true, wide.get(4).choice(), 7, 0, range, true);
    assertEquals(
        "batch 8–32: the curve is flat within its 95% intervals (batch 16 preferred: the rule's pick at the"
            + " estimates)",
        s.describeRange());
    // the same estimates measured tightly: the knee stands alone, so the range comes from the
    // intervals
    assertEquals(List.of(16), sizes(Ranges.sweetSpot("kneedle", curve(GRADUAL_S, 0.01), "b16")));
    // unbounded intervals (too few calls): nothing can be ruled out
    assertEquals(
        List.of(1, 2, 4, 8, 16, 32, 64),
        sizes(Ranges.sweetSpot("notebook", curve(GRADUAL_S, 1.0), "b16")));
  }

  @Test
  void anEarlierRunsFigureWidensTheIntervalsIntoARange() {
    List<Candidate> c = new ArrayList<>(curve(KNEE_S, 0.02));
    Candidate b16 = c.get(4);
    // batch 16 ran at the knee's speed in an earlier run of the job: 1.0 s and 1600 tokens/s
    c.set(4, new Candidate(b16.choice(), b16.latency().widen(1.0), b16.throughput().widen(1600)));
    assertEquals(List.of(8, 16), sizes(Ranges.sweetSpot("kneedle", c, "b8")));
  }

  @Test
  void aRangeWithAGapIsListedNotSpanned() {
    List<Candidate> c = curve(KNEE_S, 0.02);
    List<Candidate> gap = List.of(c.get(2), c.get(4));
    assertFalse(Ranges.contiguous(gap, c));
    SweetSpot s =
        new SweetSpot(
            "notebook",
            false,
            c.get(4).choice(),
            7,
            0,
            List.of(c.get(2), c.get(4), c.get(6)),
            false);
    assertEquals(
        "batch 4, 16 and 64: their scores overlap within the 95% intervals (batch 16 preferred: the rule's"
            + " pick at the estimates)",
        s.describeRange());
  }

  static Candidate config(
      String id,
      int batch,
      double latencyS,
      double latLow,
      double latHigh,
      double thr,
      double thrLow,
      double thrHigh) {
    return new Candidate(
        choice(id, batch, latencyS, thr),
        new Estimate(latencyS, latLow, latHigh),
        new Estimate(thr, thrLow, thrHigh));
  }

  @Test
  void overlappingTopBudgetChoicesCannotBeToldApart() {
    Candidate a = config("a", 32, 0.50, 0.45, 0.55, 1000, 950, 1050);
    Candidate b = config("b", 16, 0.40, 0.36, 0.44, 980, 930, 1030);
    Candidate c = config("c", 8, 0.30, 0.29, 0.31, 500, 480, 520);
    Candidate over =
        config(
            "d", 64, 1.20, 1.10, 1.30, 1200, 1150,
            1250); // over the budget even at its interval's low end
    List<Candidate> tied = Ranges.budget(List.of(a, b, c, over), 1.0, true);
    assertEquals(List.of("a", "b"), tied.stream().map(x -> x.choice().pointId()).toList());
    Recommendation r = new Recommendation("run", "p50", 1.0, a.choice(), true, List.of(), tied);
    assertTrue(r.isTie());
    List<String> lines = r.describeUncertainty(false);
    assertEquals(
        "cannot be told apart within the 95% intervals (the first preferred: the highest throughput at the"
            + " estimates):",
        lines.get(0));
    assertTrue(
        lines.get(1).startsWith("  batch_size=32 (experiment batch_sweep")
            && lines
                .get(1)
                .contains(
                    "throughput 1000.0 tokens/s [950.0–1050.0], p50 latency 0.500 s [0.450–0.550] s"),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("  batch_size=16 (experiment batch_sweep"), lines.get(2));
    assertEquals(3, lines.size(), String.join("\n", lines));
  }

  @Test
  void aClearWinnerIsNamedAlone() {
    Candidate a = config("a", 32, 0.50, 0.49, 0.51, 1000, 990, 1010);
    Candidate b = config("b", 16, 0.40, 0.39, 0.41, 900, 890, 910);
    List<Candidate> alone = Ranges.budget(List.of(a, b), 1.0, true);
    assertEquals(List.of(a), alone);
    Recommendation r = new Recommendation("run", "p50", 1.0, a.choice(), true, List.of(), alone);
    assertFalse(r.isTie());
    assertEquals(
        List.of(
            "a clear winner: no other configuration that may fit comes within its throughput's 95% interval"
                + " [990.0–1010.0] tokens/s"),
        r.describeUncertainty(false));
  }

  @Test
  void aChoiceWhoseIntervalCrossesTheBudgetSaysItMayMissIt() {
    Candidate a = config("a", 32, 0.95, 0.90, Double.POSITIVE_INFINITY, 1000, 990, 1010);
    Recommendation r =
        new Recommendation("run", "p99", 1.0, a.choice(), true, List.of(), List.of(a));
    assertEquals(
        "its p99 latency's 95% interval [0.900–unbounded] s reaches past the budget: a rerun may find it over",
        r.describeUncertainty(false).get(1));
  }

  @Test
  void whenNothingFitsThoseThatMightAreNamed() {
    Candidate fastest = config("a", 1, 1.2, 1.1, 1.3, 100, 90, 110);
    Candidate slower = config("b", 2, 1.3, 0.95, 1.6, 190, 150, 230);
    Candidate far = config("c", 4, 2.0, 1.9, 2.1, 300, 290, 310);
    List<Candidate> may = Ranges.budget(List.of(fastest, slower, far), 1.0, false);
    assertEquals(List.of("a", "b"), may.stream().map(x -> x.choice().pointId()).toList());
    assertEquals(
        List.of("nothing fits within the 95% intervals either"),
        new Recommendation(
                "run",
                "p50",
                1.0,
                fastest.choice(),
                false,
                List.of(),
                Ranges.budget(List.of(fastest, far), 1.0, false))
            .describeUncertainty(false));
    assertEquals(
        "within their 95% intervals these may fit the budget:",
        new Recommendation("run", "p50", 1.0, fastest.choice(), false, List.of(), may)
            .describeUncertainty(false)
            .get(0));
  }
}
