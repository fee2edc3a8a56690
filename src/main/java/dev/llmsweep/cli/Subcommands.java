package dev.llmsweep.cli;

import java.util.Collection;
import java.util.Locale;

/** The message for a first argument that is neither a subcommand nor a job file: the closest subcommand, then all. */
final class Subcommands {
  private Subcommands() {}

  static String unknown(String word, Collection<String> names) {
    String best = closest(word, names);
    return "unknown subcommand '" + word + "'" + (best == null ? "" : "; did you mean '" + best + "'?")
        + " accepted: " + String.join(", ", names) + ", or a job file (./submit jobs/quickstart.conf)";
  }

  /** The name with the smallest edit distance (a shared prefix counts as a match), if any is close. */
  static String closest(String word, Collection<String> names) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    double bestScore = Double.MAX_VALUE;
    for (String n : names) {
      double score = distance(w, n);
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

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
