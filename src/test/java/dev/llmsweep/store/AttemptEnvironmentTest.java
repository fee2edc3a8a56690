package dev.llmsweep.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The manifest's count of env_changed points follows the points table's rule: a probe's change
 * counts only beyond the tolerance and beyond what the probe moves at rest on the run.
 */
class AttemptEnvironmentTest {

  private static PointEnvironment point(double readBefore, double readAfter, double fma) {
    return new PointEnvironment(
        0.10,
        1000,
        10,
        new PointEnvironment.Probe(readBefore, fma, Double.NaN, Double.NaN, 5),
        new PointEnvironment.Probe(readAfter, fma, Double.NaN, Double.NaN, 5),
        Double.NaN,
        Double.NaN,
        null,
        -1,
        List.of());
  }

  @Test
  void probesThatJitterAtRestChangeNoPoint() {
    // a shared VM's millisecond probes: every reading within +-30% of 25 GB/s, no trend
    Random random = new Random(7);
    List<PointEnvironment> points = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      points.add(
          point(
              25 * (0.7 + 0.6 * random.nextDouble()), 25 * (0.7 + 0.6 * random.nextDouble()), 90));
    }
    AttemptEnvironment env = AttemptEnvironment.of(points);
    assertEquals(
        0, env.pointsEnvChanged(), "jitter the run shows everywhere is the probe's resolution");
  }

  @Test
  void aStepBeyondTheProbesRestingSpreadChangesItsPoint() {
    List<PointEnvironment> points = new ArrayList<>();
    Random random = new Random(11);
    for (int i = 0; i < 16; i++) {
      points.add(point(25 * (1 + 0.04 * random.nextGaussian()), 25, 90));
    }
    points.add(point(25, 5, 90)); // the bandwidth fell to a fifth while this point ran
    assertEquals(1, AttemptEnvironment.of(points).pointsEnvChanged());
  }

  @Test
  void withFewerThanThreePointsTheToleranceAloneDecides() {
    List<PointEnvironment> points = List.of(point(10, 11.5, 90), point(10, 10, 90));
    assertEquals(1, AttemptEnvironment.of(points).pointsEnvChanged());
  }
}
