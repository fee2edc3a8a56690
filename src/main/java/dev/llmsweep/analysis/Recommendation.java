package dev.llmsweep.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * The highest-throughput configuration of a run within a latency budget.
 *
 * @param runId the run
 * @param by {@code p50} or {@code p99}: which batch-latency quantile must fit
 * @param budgetS the budget, in seconds
 * @param choice the best configuration within the budget, or, when {@code fits} is false, the
 *     fastest configuration of the run (which still misses the budget)
 * @param fits whether any configuration fits
 * @param unstableSkipped the run's unstable points (their measured calls drifted), which were not
 *     considered
 * @param candidates {@code choice} with its 95% intervals first, then the configurations the
 *     intervals cannot tell from it ({@link Ranges#budget}); empty when not computed
 * @param envChangedSkipped the run's points whose environment changed while they ran (their
 *     calibration probes before and after differ), not considered either
 * @param tokensPerJoule the choice's tokens per joule (by {@code energy}); NaN otherwise
 */
public record Recommendation(
    String runId,
    String by,
    double budgetS,
    Choice choice,
    boolean fits,
    List<String> unstableSkipped,
    List<Candidate> candidates,
    List<String> envChangedSkipped,
    double tokensPerJoule) {

  /**
   * A recommendation with its intervals, nothing left out for a changed environment, not by energy.
   */
  public Recommendation(
      String runId,
      String by,
      double budgetS,
      Choice choice,
      boolean fits,
      List<String> unstableSkipped,
      List<Candidate> candidates) {
    this(runId, by, budgetS, choice, fits, unstableSkipped, candidates, List.of(), Double.NaN);
  }

  /** A recommendation without its intervals (figures from a view alone). */
  public Recommendation(
      String runId,
      String by,
      double budgetS,
      Choice choice,
      boolean fits,
      List<String> unstableSkipped) {
    this(runId, by, budgetS, choice, fits, unstableSkipped, List.of(), List.of(), Double.NaN);
  }

  /** Whether other configurations cannot be told apart from the choice. */
  public boolean isTie() {
    return candidates.size() > 1;
  }

  /**
   * What the intervals leave open, as lines (none when not computed): a clear winner, or the
   * configurations that cannot be told apart from the choice (or, when nothing fits, those that
   * might fit), each with its intervals; and whether the choice itself may miss the budget.
   */
  public List<String> describeUncertainty(boolean ms) {
    List<String> out = new ArrayList<>();
    if (candidates.isEmpty()) {
      return out;
    }
    Candidate preferred = candidates.get(0);
    List<Candidate> others = candidates.subList(1, candidates.size());
    if (!fits) {
      out.add(
          others.isEmpty()
              ? "nothing fits within the 95% intervals either"
              : "within their 95% intervals these may fit the budget:");
    } else if (others.isEmpty()) {
      out.add(
          "a clear winner: no other configuration that may fit comes within its throughput's 95% interval "
              + preferred.throughput().interval("%.1f", 1)
              + (ms ? " tok/s" : " tokens/s"));
    } else {
      out.add(
          "cannot be told apart within the 95% intervals (the first preferred: the highest throughput at the"
              + " estimates):");
      out.add("  " + figures(preferred, ms));
    }
    for (Candidate c : others) {
      out.add("  " + figures(c, ms));
    }
    if (fits && preferred.latency().high() > budgetS) {
      out.add(
          String.format(
              "its %s latency's 95%% interval %s reaches past the budget: a rerun may find it over",
              by, interval(preferred.latency(), ms)));
    }
    return out;
  }

  /** One configuration with its figures and their intervals. */
  private String figures(Candidate c, boolean ms) {
    return String.format(
        "%s: throughput %.1f %s %s, %s latency %s %s",
        c.choice().describe(),
        c.throughput().value(),
        ms ? "tok/s" : "tokens/s",
        c.throughput().interval("%.1f", 1),
        by,
        latency(c.latency().value(), ms),
        interval(c.latency(), ms));
  }

  private static String interval(Estimate e, boolean ms) {
    return ms ? e.interval("%.1f", 1000) + " ms" : e.interval("%.3f", 1) + " s";
  }

  /**
   * One line as the notebook prints it (seconds, as the budget is given), with the small-sample
   * caveat where it applies.
   */
  public String describe() {
    return describe(false);
  }

  /**
   * The same line with latencies in ms and throughput in tok/s when {@code ms} (the report's
   * units), else in s and tokens/s (the command line's, where the budget is given in seconds).
   */
  public String describe(boolean ms) {
    String skipped =
        (unstableSkipped.isEmpty()
                ? ""
                : String.format(
                    "; %d unstable point(s) skipped (%s)",
                    unstableSkipped.size(), String.join(", ", unstableSkipped)))
            + (envChangedSkipped.isEmpty()
                ? ""
                : String.format(
                    "; %d point(s) with a changed environment skipped (%s)",
                    envChangedSkipped.size(), String.join(", ", envChangedSkipped)));
    if (choice == null) {
      return String.format(
          "by %s: nothing to recommend: every measured point was left out%s", by, skipped);
    }
    if (!fits) {
      return String.format(
          "by %s: nothing fits a %s budget; the fastest configuration, %s, takes %s%s",
          by, latency(budgetS, ms), choice.describe(), latency(choice.latencyS(), ms), skipped);
    }
    if ("energy".equals(by)) {
      return String.format(
          "by energy: %s: %.3f tokens/J, p99 latency %s, throughput %.1f %s%s",
          choice.describe(),
          tokensPerJoule,
          latency(choice.latencyS(), ms),
          choice.throughput(),
          ms ? "tok/s" : "tokens/s",
          skipped);
    }
    return String.format(
        "by %s: %s: %s latency %s, throughput %.1f %s%s%s",
        by,
        choice.describe(),
        by,
        latency(choice.latencyS(), ms),
        choice.throughput(),
        ms ? "tok/s" : "tokens/s",
        choice.fewSamples()
            ? String.format(" (p99 over %d calls: about the slowest one)", choice.latencySamples())
            : "",
        skipped);
  }

  /** A latency given in seconds, as {@code 0.172 s} or {@code 171.9 ms}. */
  static String latency(double seconds, boolean ms) {
    return ms ? String.format("%.1f ms", seconds * 1000) : String.format("%.3f s", seconds);
  }
}
