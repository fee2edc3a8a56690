package dev.llmsweep.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run under a results root (driver side): what aggregate, compare, report and the sweep are
 * handed once {@link RunStore#run} (or the sweep) has opened it, instead of the root and the run id
 * as strings. Its directory, its files (through {@link RunLayout}), its manifest (read once, when
 * first asked for; writing it through {@link ManifestFiles#write} makes the next ask read it again)
 * and its committed points. A run found to have committed points is remembered to have them (a
 * committed point is never taken back), so checking the same handle again reads nothing.
 */
public final class Run {
  private final RunStore store;
  private final String id;
  private final Path dir;
  private JsonNode manifest;
  private boolean manifestRead;
  private boolean committed;

  Run(RunStore store, String id) {
    this.store = store;
    this.id = id;
    this.dir = store.runDir(id);
  }

  public String id() {
    return id;
  }

  public RunStore store() {
    return store;
  }

  /** The run's directory (whether or not it exists yet). */
  public Path dir() {
    return dir;
  }

  /** The run id, so a handle reads in a message as its id. */
  @Override
  public String toString() {
    return id;
  }

  /** Whether the run has been written (see {@link RunStore}). */
  public boolean exists() {
    return store.exists(id);
  }

  /**
   * The run's manifest.json, or null when it has none (a run written by another tool); read once.
   */
  public JsonNode manifest() {
    if (!manifestRead) {
      try {
        manifest = ManifestFiles.readIfPresent(RunLayout.manifest(dir), store.conf());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the manifest of run " + id + ": " + e.getMessage(), e);
      }
      manifestRead = true;
    }
    return manifest;
  }

  /** The manifest was written: the next {@link #manifest} reads it again. */
  void manifestWritten() {
    manifestRead = false;
    manifest = null;
  }

  /** Point ids committed in the run: the names of its {@code raw/p-<id>} directories. */
  public Set<String> committedPoints() {
    Set<String> points = committer().committed();
    committed |= !points.isEmpty();
    return points;
  }

  /** Whether the run has committed points (listed once, until it has). */
  public boolean hasCommittedPoints() {
    return committed || !committedPoints().isEmpty();
  }

  /**
   * This run, checked to have committed points (to aggregate, recommend or compare); a run whose
   * points all failed is named with where its failures are.
   *
   * @throws MissingResultsException when it has none
   */
  public Run requireCommitted() {
    if (hasCommittedPoints()) {
      return this;
    }
    int failed = failures().list().size();
    throw new MissingResultsException(
        "run '"
            + id
            + "' has no committed points yet"
            + (failed == 0
                ? ""
                : " ("
                    + failed
                    + " failed; see them with ./submit sql --results "
                    + store.uri()
                    + " --run-id "
                    + id
                    + " \"SELECT * FROM failures\")"));
  }

  public PointCommitter committer() {
    return new PointCommitter(dir.toUri(), store.conf());
  }

  public FailureRecords failures() {
    return new FailureRecords(dir.toUri(), store.conf());
  }

  /** The run's {@code points} table. */
  public Path pointsTable() {
    return RunLayout.points(dir);
  }

  /** The run's comparison with one baseline ({@code comparisons/<baseline>}). */
  public Path comparisonTable(String baseline) {
    return RunLayout.comparison(dir, baseline);
  }

  /** Whether the run has a {@code points} table written after its last committed point. */
  public boolean pointsUpToDate() {
    try {
      FileSystem fs = fs();
      FileStatus success = fs.getFileStatus(new Path(RunLayout.points(dir), "_SUCCESS"));
      long newest = fs.getFileStatus(RunLayout.raw(dir)).getModificationTime();
      for (FileStatus p : fs.globStatus(RunLayout.point(dir, "*"))) {
        newest = Math.max(newest, p.getModificationTime());
      }
      return success.getModificationTime() >= newest;
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes of the run's committed raw rows ({@code raw/}): 0 when it has none. */
  public long rawBytes() {
    try {
      return fs().getContentSummary(RunLayout.raw(dir)).getLength();
    } catch (FileNotFoundException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh temporary path under the run's {@code _attempts/} (never read by the views). */
  public Path attemptPath(String name) {
    return new Path(RunLayout.attempts(dir), name + "-" + UUID.randomUUID());
  }

  /** Replaces {@code target} with {@code written} (a complete directory) by a rename. */
  public void replace(Path written, Path target) {
    try {
      FileSystem fs = fs();
      fs.mkdirs(target.getParent());
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("cannot delete " + target);
      }
      if (!fs.rename(written, target)) {
        throw new IOException("cannot rename " + written + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates {@code failed/}, which the failures view reads while it is empty; {@code comparisons/}
   * is made by the first comparison (the views give an empty {@code comparisons} until then).
   */
  public void createDirs() throws IOException {
    fs().mkdirs(RunLayout.failed(dir));
  }

  /** Deletes the run's {@code _attempts/} (what failed attempts left). */
  public void deleteAttempts() throws IOException {
    fs().delete(RunLayout.attempts(dir), true);
  }

  private FileSystem fs() throws IOException {
    return dir.getFileSystem(store.conf());
  }
}
