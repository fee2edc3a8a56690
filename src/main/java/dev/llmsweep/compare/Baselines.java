package dev.llmsweep.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.spec.CompareSettings;
import dev.llmsweep.store.ManifestFiles;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.RunIds;
import dev.llmsweep.store.RunManifest;
import dev.llmsweep.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a baseline (driver side): a run id under the same root, or {@code previous}, the
 * latest completed run of the same job (manifest {@code job_name}) that started before the run.
 * Runs still running or failed are never a baseline, so a run started at the same time as
 * another does not compare itself with a half-written one.
 */
public final class Baselines {
  private Baselines() {}

  /** There is no earlier completed run of the job: nothing to compare with (not an error for a sweep). */
  public static final class NoBaselineException extends MissingResultsException {
    private static final long serialVersionUID = 1L;

    NoBaselineException(String message) {
      super(message);
    }
  }

  /**
   * The baseline run id for {@code run}: {@code baseline} itself after checking it exists, or
   * the previous run of the same job.
   *
   * @throws MissingResultsException naming the run and listing the runs there
   */
  public static String resolve(RunStore store, String run, String baseline) {
    store.requireCommitted(run);
    if (CompareSettings.PREVIOUS.equals(baseline)) {
      return previous(store, run);
    }
    if (!RunIds.isValid(baseline)) {
      throw new MissingResultsException("--baseline '" + baseline + "' is not accepted; accepted: previous or a run"
          + " id; runs under " + store.uri() + ": " + String.join(", ", store.runs()));
    }
    if (baseline.equals(run)) {
      throw new MissingResultsException("--baseline " + baseline + " is the run itself; name an earlier run or"
          + " previous; runs under " + store.uri() + ": " + String.join(", ", store.runs()));
    }
    store.requireCommitted(baseline);
    return baseline;
  }

  private static String previous(RunStore store, String run) {
    JsonNode own = manifest(store, run);
    if (own == null) {
      throw new MissingResultsException("run '" + run + "' has no manifest.json, so it has no previous run; name the"
          + " baseline run id instead; runs under " + store.uri() + ": " + String.join(", ", store.runs()));
    }
    String job = own.path("job_name").asText();
    Instant started = Instant.parse(own.path("started_at").asText());
    String best = null;
    Instant bestStarted = null;
    List<String> sameJob = new ArrayList<>();
    for (String other : store.runs()) {
      JsonNode m = other.equals(run) ? null : manifest(store, other);
      if (m == null || !job.equals(m.path("job_name").asText())) {
        continue;
      }
      sameJob.add(other + " (" + m.path("status").asText() + ")");
      Instant t = Instant.parse(m.path("started_at").asText());
      boolean completed = RunManifest.Status.ofLabel(m.path("status").asText()) == RunManifest.Status.COMPLETED;
      if (completed && t.isBefore(started)
          && !store.committedPoints(other).isEmpty() && (bestStarted == null || t.isAfter(bestStarted))) {
        best = other;
        bestStarted = t;
      }
    }
    if (best == null) {
      throw new NoBaselineException("no completed run of job '" + job + "' started before run " + run + " under "
          + store.uri() + (sameJob.isEmpty() ? "" : "; other runs of the job: " + String.join(", ", sameJob))
          + "; runs there: " + String.join(", ", store.runs()));
    }
    return best;
  }

  private static JsonNode manifest(RunStore store, String run) {
    try {
      return ManifestFiles.readIfPresent(store, run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of run " + run + ": " + e.getMessage(), e);
    }
  }
}
