package dev.llmsweep.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.job.CompareSettings;
import dev.llmsweep.job.RunIds;
import dev.llmsweep.store.ManifestFiles;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.RunManifest;
import dev.llmsweep.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves a baseline (driver side): a run id under the same root, {@code previous}, the latest
 * completed run of the same job (manifest {@code job_name}) that started before the run, or {@code
 * last:N}, the N latest such runs (the history: {@link #history}). Runs still running or failed are
 * never a baseline, so a run started at the same time as another does not compare itself with a
 * half-written one.
 */
public final class Baselines {
  private Baselines() {}

  /**
   * There is no earlier completed run of the job: nothing to compare with (not an error for a
   * sweep).
   */
  public static final class NoBaselineException extends MissingResultsException {
    private static final long serialVersionUID = 1L;

    NoBaselineException(String message) {
      super(message);
    }
  }

  /**
   * A resolved baseline: one run, or the history's runs.
   *
   * @param label what the comparison and its table are named by: the run id, or {@code last-N} (a
   *     directory name: no ':')
   * @param runs the baseline runs, latest first
   * @param requested N of {@code last:N}; 1 for a run id or {@code previous}
   */
  public record Resolved(String label, List<String> runs, int requested) {
    public static Resolved single(String run) {
      return new Resolved(run, List.of(run), 1);
    }

    /** Whether this is a history ({@code last:N}). */
    public boolean history() {
      return !label.equals(runs.get(0));
    }
  }

  /**
   * Resolves {@code baseline} for {@code run}: {@code last:N} to the history, anything else to one
   * run ({@link #resolve}).
   */
  public static Resolved resolveAll(RunStore store, String run, String baseline) {
    Integer n = CompareSettings.lastCount(baseline);
    if (n == null) {
      return Resolved.single(resolve(store, run, baseline));
    }
    store.requireCommitted(run);
    List<String> runs = completedEarlier(store, run, n);
    return new Resolved("last-" + n, runs, n);
  }

  /**
   * The baseline run id for {@code run}: {@code baseline} itself after checking it exists, or the
   * previous run of the same job.
   *
   * @throws MissingResultsException naming the run and listing the runs there
   */
  public static String resolve(RunStore store, String run, String baseline) {
    store.requireCommitted(run);
    if (CompareSettings.PREVIOUS.equals(baseline)) {
      return previous(store, run);
    }
    if (!RunIds.isValid(baseline)) {
      throw new MissingResultsException(
          "--baseline '"
              + baseline
              + "' is not accepted; accepted: previous, last:N"
              + " (N from 1 to "
              + CompareSettings.MAX_HISTORY
              + ") or a run id; runs under "
              + store.uri()
              + ": "
              + String.join(", ", store.runs()));
    }
    if (baseline.equals(run)) {
      throw new MissingResultsException(
          "--baseline "
              + baseline
              + " is the run itself; name an earlier run or"
              + " previous; runs under "
              + store.uri()
              + ": "
              + String.join(", ", store.runs()));
    }
    store.requireCommitted(baseline);
    return baseline;
  }

  private static String previous(RunStore store, String run) {
    return completedEarlier(store, run, 1).get(0);
  }

  /**
   * The {@code n} latest completed runs of {@code run}'s job (manifest {@code job_name}) that
   * started before it and have committed points, latest first; fewer when fewer exist, at least
   * one.
   *
   * @throws NoBaselineException when there is none
   */
  public static List<String> completedEarlier(RunStore store, String run, int n) {
    JsonNode own = manifest(store, run);
    if (own == null) {
      throw new MissingResultsException(
          "run '"
              + run
              + "' has no manifest.json, so it has no previous run; name the"
              + " baseline run id instead; runs under "
              + store.uri()
              + ": "
              + String.join(", ", store.runs()));
    }
    String job = own.path("job_name").asText();
    Instant started = Instant.parse(own.path("started_at").asText());
    List<String> sameJob = new ArrayList<>();
    List<Map.Entry<Instant, String>> completed = new ArrayList<>();
    for (String other : store.runs()) {
      JsonNode m = other.equals(run) ? null : manifest(store, other);
      if (m == null || !job.equals(m.path("job_name").asText())) {
        continue;
      }
      sameJob.add(other + " (" + m.path("status").asText() + ")");
      Instant t = Instant.parse(m.path("started_at").asText());
      boolean done =
          RunManifest.Status.ofLabel(m.path("status").asText()) == RunManifest.Status.COMPLETED;
      if (done && t.isBefore(started) && !store.committedPoints(other).isEmpty()) {
        completed.add(Map.entry(t, other));
      }
    }
    if (completed.isEmpty()) {
      throw new NoBaselineException(
          "no completed run of job '"
              + job
              + "' started before run "
              + run
              + " under "
              + store.uri()
              + (sameJob.isEmpty() ? "" : "; other runs of the job: " + String.join(", ", sameJob))
              + "; runs there: "
              + String.join(", ", store.runs()));
    }
    completed.sort(
        Map.Entry.<Instant, String>comparingByKey()
            .reversed()
            .thenComparing(Map.Entry.comparingByValue()));
    return completed.stream().limit(n).map(Map.Entry::getValue).toList();
  }

  private static JsonNode manifest(RunStore store, String run) {
    try {
      return ManifestFiles.readIfPresent(store, run);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the manifest of run " + run + ": " + e.getMessage(), e);
    }
  }
}
