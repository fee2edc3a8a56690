package dev.llmsweep.spec;

import dev.llmsweep.errors.BadInputException;

/**
 * A job file's {@code compare { }} block (driver side): which earlier run a finished run is
 * compared with, and the relative change that counts as faster or slower. Defaults in
 * {@code defaults.conf}.
 *
 * @param baseline {@code null} for none, {@link #PREVIOUS}, or a run id under the same results root
 * @param threshold relative change of a metric that counts, e.g. 0.10 for 10% (0 < threshold < 1)
 */
public record CompareSettings(String baseline, double threshold) {
  /** The latest earlier completed run of the same job under the same results root. */
  public static final String PREVIOUS = "previous";
  /** What {@code baseline} accepts besides a run id, for messages. */
  public static final String ACCEPTED_BASELINES = "none, previous, or a run id (letters, digits, '.', '_' or '-')";

  /** Checks a threshold from the command line, with the same rule as the job file's. */
  public static double checkThreshold(double t, String source) {
    if (!(t > 0 && t < 1)) {
      throw new BadInputException(source + " " + t + " is not accepted: give the relative change that counts"
          + " as a fraction in (0, 1), e.g. 0.10 for 10%");
    }
    return t;
  }
}
