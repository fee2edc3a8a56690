package dev.llmsweep.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How the machine changed from the baseline to the run (driver side; tests): the ratio run /
 * baseline of every probe both sides measured. The environment changed when any ratio moves beyond
 * the practical threshold (the comparison's, 10% by default), the same rule a figure needs to count
 * as a change.
 *
 * @param ratios one per probe measured on both sides
 * @param runThrottled points of the run whose device reported throttling
 * @param baselineThrottled the same for the baseline
 * @param threshold the practical threshold
 */
public record EnvironmentChange(
    List<ProbeRatio> ratios, long runThrottled, long baselineThrottled, double threshold) {

  /** A probe on both sides. */
  public record ProbeRatio(RunEnvironment.Probe probe, double run, double baseline) {
    /** run / baseline: below 1, the run's machine was slower at this. */
    public double ratio() {
      return run / baseline;
    }

    public String describe() {
      String from = probe.format(baseline);
      String to = probe.format(run);
      if (probe != RunEnvironment.Probe.CPU_FREE) {
        from = from.substring(0, from.lastIndexOf(' ')); // the unit once: 27.1 -> 8.4 GB/s
      }
      return String.format(Locale.ROOT, "%s %s -> %s (%.2fx)", probe.label(), from, to, ratio());
    }
  }

  /**
   * The change from {@code baseline} to {@code run}; probes missing on either side are left out.
   */
  public static EnvironmentChange of(
      RunEnvironment run, RunEnvironment baseline, double threshold) {
    List<ProbeRatio> out = new ArrayList<>();
    for (RunEnvironment.Probe p : RunEnvironment.Probe.values()) {
      Double r = run.value(p);
      Double b = baseline.value(p);
      if (r != null && b != null && r > 0 && b > 0) {
        out.add(new ProbeRatio(p, r, b));
      }
    }
    return new EnvironmentChange(
        List.copyOf(out), run.throttledPoints(), baseline.throttledPoints(), threshold);
  }

  /**
   * Whether the run had beyond the threshold less of the host's CPU than the baseline did (other
   * processes or the hypervisor took it): every slower figure is then the neighbours' as much as
   * the software's, and is judged {@code environment}. Not a factor to divide by: a parallel engine
   * whose threads wait for each other every step slows by more than the share it lost (two memcpy
   * loops on both cores of the 2-core VM: 50% of the CPU taken, batch-1 TPOT 2.8x).
   */
  public boolean contended() {
    ProbeRatio r = cpuFree();
    return r != null && r.ratio() < 1 - threshold;
  }

  /** The mirror of {@link #contended()}: the baseline shared its CPU, the run had it to itself. */
  public boolean relieved() {
    ProbeRatio r = cpuFree();
    return r != null && r.ratio() > 1 + threshold;
  }

  /** The CPU-free ratio, null when either side lacks it. */
  public ProbeRatio cpuFree() {
    return ratios.stream()
        .filter(r -> r.probe() == RunEnvironment.Probe.CPU_FREE)
        .findFirst()
        .orElse(null);
  }

  /** Whether any probe's ratio moved beyond the threshold. */
  public boolean changed() {
    return ratios.stream().anyMatch(r -> r.ratio() < 1 - threshold || r.ratio() > 1 + threshold);
  }

  /**
   * How much slower the run's machine is, as a factor on time: baseline / run of the probe that
   * fell the most, among those that fell beyond the threshold; 1 when none did. A latency ratio up
   * to about this factor is what the machine explains.
   */
  public double slowdown() {
    return ratios.stream()
        .filter(r -> r.ratio() < 1 - threshold)
        .mapToDouble(r -> 1 / r.ratio())
        .max()
        .orElse(1);
  }

  /**
   * As {@link #slowdown()} for a faster machine: the smallest baseline / run below 1 - threshold's
   * mirror; 1 when none.
   */
  public double speedup() {
    return ratios.stream()
        .filter(r -> r.ratio() > 1 + threshold)
        .mapToDouble(r -> 1 / r.ratio())
        .min()
        .orElse(1);
  }

  /** The probe that moved the most (by the size of its log ratio), null without probes. */
  public ProbeRatio largest() {
    return ratios.stream()
        .max(Comparator.comparingDouble(r -> Math.abs(Math.log(r.ratio()))))
        .orElse(null);
  }

  /** Every ratio, e.g. {@code read bandwidth 27.1 -> 8.4 GB/s (0.31x), FMA ...}, and throttling. */
  public String describe() {
    List<String> parts = new ArrayList<>(ratios.stream().map(ProbeRatio::describe).toList());
    if (runThrottled > 0 || baselineThrottled > 0) {
      parts.add("throttled points " + baselineThrottled + " -> " + runThrottled);
    }
    return parts.isEmpty()
        ? "no probe on both sides (runs written before the probes, or probes of different kinds)"
        : String.join(", ", parts);
  }
}
