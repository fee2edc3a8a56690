package dev.llmsweep.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmsweep.job.CompareSettings;
import dev.llmsweep.job.RunIds;
import dev.llmsweep.store.MissingResultsException;
import dev.llmsweep.store.Run;
import dev.llmsweep.store.RunManifest;
import dev.llmsweep.store.RunStore;
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
   * A resolved baseline: one run, or the history's runs, each checked to have committed points.
   *
   * @param label what the comparison and its table are named by: the run id, or {@code last-N} (a
   *     directory name: no ':')
   * @param runs the baseline runs, latest first
   * @param requested N of {@code last:N}; 1 for a run id or {@code previous}
   */
  public record Resolved(String label, List<Run> runs, int requested) {
    public static Resolved single(Run run) {
      return new Resolved(run.id(), List.of(run), 1);
    }

    /** The baseline runs' ids, latest first. */
    public List<String> ids() {
      return runs.stream().map(Run::id).toList();
    }

    /** Whether this is a history ({@code last:N}). */
    public boolean history() {
      return !label.equals(runs.get(0).id());
    }
  }

  /**
   * Resolves {@code baseline} for {@code run}: {@code last:N} to the history, anything else to one
   * run. The one check that the run and its baselines have committed points before a comparison.
   *
   * @throws MissingResultsException naming the run and listing the runs there
   */
  public static Resolved resolveAll(Run run, String baseline) {
    run.requireCommitted();
    Integer n = CompareSettings.lastCount(baseline);
    if (n == null) {
      return Resolved.single(resolve(run, baseline));
    }
    return new Resolved("last-" + n, completedEarlier(run, n), n);
  }

  /** {@code baseline} itself after checking it exists, or the previous run of the same job. */
  private static Run resolve(Run run, String baseline) {
    RunStore store = run.store();
    if (CompareSettings.PREVIOUS.equals(baseline)) {
      return completedEarlier(run, 1).get(0);
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
    if (baseline.equals(run.id())) {
      throw new MissingResultsException(
          "--baseline "
              + baseline
              + " is the run itself; name an earlier run or"
              + " previous; runs under "
              + store.uri()
              + ": "
              + String.join(", ", store.runs()));
    }
    return store.run(baseline).requireCommitted();
  }

  /**
   * The {@code n} latest completed runs of {@code run}'s job (manifest {@code job_name}) that
   * started before it and have committed points, latest first; fewer when fewer exist, at least
   * one.
   *
   * @throws NoBaselineException when there is none
   */
  static List<Run> completedEarlier(Run run, int n) {
    RunStore store = run.store();
    JsonNode own = run.manifest();
    if (own == null) {
      throw new MissingResultsException(
          "run '"
              + run.id()
              + "' has no manifest.json, so it has no previous run; name the"
              + " baseline run id instead; runs under "
              + store.uri()
              + ": "
              + String.join(", ", store.runs()));
    }
    String job = own.path("job_name").asText();
    Instant started = Instant.parse(own.path("started_at").asText());
    List<String> sameJob = new ArrayList<>();
    List<Map.Entry<Instant, Run>> completed = new ArrayList<>();
    for (String id : store.runs()) {
      Run other = store.at(id);
      JsonNode m = id.equals(run.id()) ? null : other.manifest();
      if (m == null || !job.equals(m.path("job_name").asText())) {
        continue;
      }
      sameJob.add(id + " (" + m.path("status").asText() + ")");
      Instant t = Instant.parse(m.path("started_at").asText());
      boolean done =
          RunManifest.Status.ofLabel(m.path("status").asText()) == RunManifest.Status.COMPLETED;
      if (done && t.isBefore(started) && other.hasCommittedPoints()) {
        completed.add(Map.entry(t, other));
      }
    }
    if (completed.isEmpty()) {
      throw new NoBaselineException(
          "no completed run of job '"
              + job
              + "' started before run "
              + run.id()
              + " under "
              + store.uri()
              + (sameJob.isEmpty() ? "" : "; other runs of the job: " + String.join(", ", sameJob))
              + "; runs there: "
              + String.join(", ", store.runs()));
    }
    completed.sort(
        Map.Entry.<Instant, Run>comparingByKey().reversed().thenComparing(e -> e.getValue().id()));
    return completed.stream().limit(n).map(Map.Entry::getValue).toList();
  }
}
