package dev.llmsweep.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of {@code compare --baseline last:5}, pure JVM: the call clustering of {@link
 * AaSimulationTest} (a run of three points: 30 calls of 8 requests, 120 of 2, 20 of 16) with a
 * per-run effect on top, as the 2-core machine shows between JVMs: each run scales each point's
 * prefill and its decode step by its own log-normal factor (sigma 0.15 on the log scale: 95% of
 * runs within about x/÷1.35 of the typical run, "±30%"). Each run's probes read a memory bandwidth
 * of 30 GB/s with 2% noise and 97% of the CPU left to the run by others (1% noise). Each comparison
 * is judged as {@code compare} judges it: hierarchical bootstrap of the 5 baseline runs, call
 * bootstrap of the run, the pooled run-to-run spread, Holm over the family, 10% threshold, the
 * environment's ratio.
 */
class HistorySimulationTest {
  private static final int COMPARISONS = 200;

  /** The CPU share a run has on the quiet 2-core VM: 1-3% goes to other processes and steal. */
  private static final double QUIET_CPU = 0.97;

  private static final int BASELINE_RUNS = 5;
  private static final double RUN_SIGMA = 0.15;
  private static final int[][] RUN = {{30, 8}, {120, 2}, {20, 16}};
  private static final ComparePointsFunction.Settings SETTINGS =
      new ComparePointsFunction.Settings(0.10, 0.95, 200, 0);

  @Test
  void aaComparisonsAgainstFiveRunsRarelyCallAChange() {
    SplittableRandom rng = new SplittableRandom(21);
    int alarms = 0;
    for (int k = 0; k < COMPARISONS; k++) {
      List<Verdict> verdicts = compare(rng, BASELINE_RUNS, 1.0, 1.0).verdicts;
      alarms +=
          verdicts.stream()
                  .anyMatch(
                      v -> v == Verdict.SLOWER || v == Verdict.FASTER || v == Verdict.ENVIRONMENT)
              ? 1
              : 0;
    }
    assertTrue(
        alarms / (double) COMPARISONS <= 0.05,
        "A/A comparisons with any verdict: " + alarms + " of " + COMPARISONS);
  }

  @Test
  void aSingleBaselineRunCannotTellTheRunsSpreadFromAChange() {
    // what compare --baseline previous does on such a machine: the calls alone say "changed"
    SplittableRandom rng = new SplittableRandom(22);
    int alarms = 0;
    int n = 60;
    for (int k = 0; k < n; k++) {
      alarms +=
          compare(rng, 1, 1.0, 1.0).verdicts.stream()
                  .anyMatch(v -> v == Verdict.SLOWER || v == Verdict.FASTER)
              ? 1
              : 0;
    }
    assertTrue(
        alarms / (double) n > 0.5, "one baseline run should alarm often: " + alarms + " of " + n);
  }

  @Test
  void aSlowdownTwentyPercentBeyondTheSpreadIsARegression() {
    SplittableRandom rng = new SplittableRandom(23);
    // 20% beyond the edge of the runs' 95% spread (exp(2 sigma), about 1.35)
    double slowdown = 1.2 * Math.exp(2 * RUN_SIGMA);
    int flagged = 0;
    for (int k = 0; k < COMPARISONS; k++) {
      Simulated s = compare(rng, BASELINE_RUNS, slowdown, 1.0);
      flagged += Judge.outcome(s.verdicts) == Judge.Outcome.REGRESSION ? 1 : 0;
    }
    assertTrue(
        flagged / (double) COMPARISONS >= 0.80,
        "regressions found: " + flagged + " of " + COMPARISONS);
  }

  @Test
  void aMachineAtHalfTheBandwidthGivesEnvironmentNotRegression() {
    SplittableRandom rng = new SplittableRandom(24);
    int environment = 0;
    for (int k = 0; k < COMPARISONS; k++) {
      Simulated s = compare(rng, BASELINE_RUNS, 2.0, 0.5);
      environment += Judge.outcome(s.verdicts) == Judge.Outcome.ENVIRONMENT ? 1 : 0;
    }
    assertTrue(
        environment / (double) COMPARISONS >= 0.95,
        "environment verdicts: " + environment + " of " + COMPARISONS);
  }

  @Test
  void aCoRunnerTheProbesMissGivesEnvironmentNotRegression() {
    // two memcpy loops on both cores of the 2-core VM: the probes read the machine unchanged
    // (bandwidth 1.0), the run kept half the CPU, and its figures slowed 2.8x, more than the share
    SplittableRandom rng = new SplittableRandom(28);
    int environment = 0;
    for (int k = 0; k < COMPARISONS; k++) {
      Simulated s = compare(rng, BASELINE_RUNS, 2.8, 1.0, 0.5);
      environment += Judge.outcome(s.verdicts) == Judge.Outcome.ENVIRONMENT ? 1 : 0;
    }
    assertTrue(
        environment / (double) COMPARISONS >= 0.95,
        "environment verdicts with half the CPU taken: " + environment + " of " + COMPARISONS);
    // and a run that had the CPU to itself still regresses
    Simulated quiet = compare(new SplittableRandom(29), BASELINE_RUNS, 2.8, 1.0, QUIET_CPU);
    assertEquals(Judge.Outcome.REGRESSION, Judge.outcome(quiet.verdicts));
  }

  @Test
  void aRegressionOnAnUnchangedMachineStaysARegressionAndAFasterMachineExplainsNoSlowdown() {
    SplittableRandom rng = new SplittableRandom(25);
    Simulated faster = compare(rng, BASELINE_RUNS, 2.0, 1.5);
    assertEquals(
        Judge.Outcome.REGRESSION,
        Judge.outcome(faster.verdicts),
        "slower figures on a faster machine");
    assertFalse(faster.verdicts.contains(Verdict.ENVIRONMENT));
  }

  @Test
  void withFewerThanThreeRunsTheSpreadIsUnknownAndSaidSo() {
    Simulated two = compare(new SplittableRandom(26), 2, 1.0, 1.0);
    assertFalse(two.spread.known());
    assertEquals(0, two.spread.variance(Metric.TTFT_P50));
    assertTrue(
        two.spread.describe().startsWith("run-to-run spread unknown: 2 baseline run(s), 3 needed"),
        two.spread.describe());
    assertTrue(two.spread.describe().contains("assumed 0"), two.spread.describe());
    Simulated five = compare(new SplittableRandom(27), BASELINE_RUNS, 1.0, 1.0);
    assertTrue(five.spread.known());
    // the estimate finds the simulated spread (0.15 on the log scale for TTFT), not the calls'
    // noise
    double sd = Math.sqrt(five.spread.variance(Metric.TTFT_P50));
    assertTrue(sd > 0.07 && sd < 0.3, "estimated run-to-run sd " + sd);
  }

  private record Simulated(List<Verdict> verdicts, RunSpread spread) {}

  /**
   * One run judged against {@code baselineRuns} runs: the run's latencies scaled by {@code
   * slowdown} and its bandwidth probe by {@code bandwidth}.
   */
  private static Simulated compare(
      SplittableRandom rng, int baselineRuns, double slowdown, double bandwidth) {
    return compare(rng, baselineRuns, slowdown, bandwidth, QUIET_CPU);
  }

  /** As above, the run's points left {@code cpuFree} of the host's CPU by other processes. */
  private static Simulated compare(
      SplittableRandom rng, int baselineRuns, double slowdown, double bandwidth, double cpuFree) {
    List<Judge.Input> inputs = new ArrayList<>();
    for (int[] shape : RUN) {
      List<PointSamples> baselines = new ArrayList<>();
      for (int b = 0; b < baselineRuns; b++) {
        baselines.add(
            AaSimulationTest.point(rng, shape[0], shape[1], runEffect(rng), runEffect(rng), true));
      }
      PointSamples run =
          AaSimulationTest.point(
              rng, shape[0], shape[1], slowdown * runEffect(rng), slowdown * runEffect(rng), true);
      for (PointComparison.Figure f :
          PointComparison.figures(run, baselines, SETTINGS, shape[0] + "x" + shape[1])) {
        boolean few = f.metric().fewSamples(Math.min(f.runCalls(), f.baselineCalls()));
        inputs.add(
            Judge.Input.of(shape[0] + "x" + shape[1], f, few ? Verdict.TOO_FEW_CALLS : null));
      }
    }
    List<RunEnvironment> history = new ArrayList<>();
    for (int b = 0; b < baselineRuns; b++) {
      history.add(environment("b" + b, rng, 1.0, QUIET_CPU));
    }
    EnvironmentChange env =
        EnvironmentChange.of(
            environment("run", rng, bandwidth, cpuFree),
            RunEnvironment.median("history", history),
            SETTINGS.threshold());
    RunSpread spread = RunSpread.estimate(inputs, baselineRuns);
    List<Verdict> verdicts =
        Judge.judge(inputs, SETTINGS.threshold(), SETTINGS.confidence(), spread, env).stream()
            .map(Judge.Output::verdict)
            .toList();
    return new Simulated(verdicts, spread);
  }

  private static double runEffect(SplittableRandom rng) {
    return Math.exp(RUN_SIGMA * AaSimulationTest.gaussian(rng));
  }

  private static RunEnvironment environment(
      String run, SplittableRandom rng, double bandwidth, double cpuFree) {
    double read = bandwidth * 30 * Math.exp(0.02 * AaSimulationTest.gaussian(rng));
    double free = Math.min(1, cpuFree + 0.01 * AaSimulationTest.gaussian(rng));
    return new RunEnvironment(run, read, null, null, null, null, null, free, 0, 2);
  }
}
