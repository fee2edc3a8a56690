package dev.llmsweep.cli;

import dev.llmsweep.job.JobReader;
import java.util.Collection;
import java.util.Locale;

/**
 * The message for a first argument that is neither a subcommand nor a job file: the closest
 * subcommand, then all.
 */
final class Subcommands {
  private Subcommands() {}

  static String unknown(String word, Collection<String> names) {
    String best = closest(word, names);
    return "unknown subcommand '"
        + word
        + "'"
        + (best == null ? "" : "; did you mean '" + best + "'?")
        + " accepted: "
        + String.join(", ", names)
        + ", or a job file (./submit jobs/quickstart.conf)";
  }

  /**
   * The name with the smallest edit distance (a shared prefix counts as a match), if any is close.
   */
  static String closest(String word, Collection<String> names) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    double bestScore = Double.MAX_VALUE;
    for (String n : names) {
      double score = JobReader.distance(w, n);
      if (n.startsWith(w) || w.startsWith(n)) {
        score = Math.min(score, 1);
      } else if (w.length() >= 5 && n.startsWith(w.substring(0, 5))) {
        score = Math.min(score, 2.5); // benchmark: bench-...
      }
      if (score < bestScore) {
        bestScore = score;
        best = n;
      }
    }
    return bestScore <= Math.max(2, w.length() / 3.0) ? best : null;
  }
}
