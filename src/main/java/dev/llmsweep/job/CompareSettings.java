package dev.llmsweep.job;

import dev.llmsweep.errors.BadInputException;

/**
 * A job file's {@code compare { }} block (driver side): which earlier run a finished run is
 * compared with, and the relative change that counts as faster or slower. Defaults in {@code
 * defaults.conf}.
 *
 * @param baseline {@code null} for none, {@link #PREVIOUS}, {@code last:N} (the N latest completed
 *     runs of the job: the history) or a run id under the same results root
 * @param threshold relative change of a metric that counts, e.g. 0.10 for 10% (0 < threshold < 1)
 */
public record CompareSettings(String baseline, double threshold) {
  /** The latest earlier completed run of the same job under the same results root. */
  public static final String PREVIOUS = "previous";

  /** What {@code baseline} accepts besides a run id, for messages. */
  public static final String ACCEPTED_BASELINES =
      "none, previous, last:N (N from 1 to 100: the N latest completed"
          + " runs of the job), or a run id (letters, digits, '.', '_' or '-')";

  /** The largest N of {@code last:N}. */
  public static final int MAX_HISTORY = 100;

  /**
   * N of {@code last:N}; null when {@code baseline} is not of that form.
   *
   * @throws BadInputException for {@code last:} with an N that is not 1 to {@link #MAX_HISTORY}
   */
  public static Integer lastCount(String baseline) {
    if (baseline == null || !baseline.startsWith("last:")) {
      return null;
    }
    String n = baseline.substring("last:".length());
    if (!n.matches("[0-9]{1,3}") || Integer.parseInt(n) < 1 || Integer.parseInt(n) > MAX_HISTORY) {
      throw new BadInputException(
          "baseline '"
              + baseline
              + "' is not accepted: last:N needs N from 1 to "
              + MAX_HISTORY
              + ", e.g. last:5 (the 5 latest completed runs of the job)");
    }
    return Integer.parseInt(n);
  }

  /** Checks a threshold from the command line, with the same rule as the job file's. */
  public static double checkThreshold(double t, String source) {
    if (!(t > 0 && t < 1)) {
      throw new BadInputException(
          source
              + " "
              + t
              + " is not accepted: give the relative change that counts"
              + " as a fraction in (0, 1), e.g. 0.10 for 10%");
    }
    return t;
  }
}
