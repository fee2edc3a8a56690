package dev.llmsweep.analysis;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A results root on any Hadoop filesystem and the runs under it (driver side). Layout:
 * docs/schema.md. Every lookup that fails because of user input throws
 * {@link MissingResultsException} with a message naming the path and what exists instead.
 */
public final class ResultsRoot {
  private final FileSystem fs;
  private final Path root;

  private ResultsRoot(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  /** Opens {@code uri} (a path or a filesystem URI); it must exist and be a directory. */
  public static ResultsRoot open(String uri, Configuration conf) {
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(conf);
      Path qualified = fs.makeQualified(path);
      if (!fs.exists(qualified)) {
        throw new MissingResultsException("results root " + uri + " does not exist (pass --results ROOT)");
      }
      if (!fs.getFileStatus(qualified).isDirectory()) {
        throw new MissingResultsException("results root " + uri + " is not a directory");
      }
      return new ResultsRoot(fs, qualified);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read results root " + uri, e);
    }
  }

  /** The qualified URI of the root, as the views' {@code results} variable. */
  public String uri() {
    return root.toString();
  }

  /** Runs with at least one committed point, newest (latest raw commit) last. */
  public List<String> runs() {
    try {
      List<FileStatus> runs = new ArrayList<>();
      for (FileStatus s : fs.listStatus(root)) {
        Path raw = new Path(s.getPath(), "raw");
        if (s.isDirectory() && fs.exists(raw)) {
          runs.add(fs.getFileStatus(raw));
        }
      }
      runs.sort(Comparator.comparingLong(FileStatus::getModificationTime)
          .thenComparing(s -> s.getPath().getParent().getName()));
      return runs.stream().map(s -> s.getPath().getParent().getName()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The run most recently written to. */
  public String latestRun() {
    List<String> runs = runs();
    if (runs.isEmpty()) {
      throw new MissingResultsException("no runs under " + root + " (a run is a directory with raw/p-*/ points)");
    }
    return runs.get(runs.size() - 1);
  }

  /** Checks that {@code runId} exists and has committed points. */
  public void requireRun(String runId) {
    if (runId.isBlank() || runId.contains("/") || runId.contains("*")) {
      throw new MissingResultsException("invalid run id '" + runId + "'");
    }
    if (!runs().contains(runId)) {
      throw new MissingResultsException("no run '" + runId + "' under " + root
          + (runs().isEmpty() ? " (it holds no runs)" : "; runs there: " + String.join(", ", runs())));
    }
    if (committedPoints(runId) == 0) {
      throw new MissingResultsException("run '" + runId + "' has no committed points yet");
    }
  }

  /** Number of committed point directories of a run. */
  public int committedPoints(String runId) {
    try {
      return fs.globStatus(new Path(root, runId + "/raw/p-*")).length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the run has a {@code points} table written after its last committed point. */
  public boolean pointsUpToDate(String runId) {
    try {
      FileStatus success = fs.getFileStatus(new Path(pointsPath(runId), "_SUCCESS"));
      long raw = fs.getFileStatus(new Path(root, runId + "/raw")).getModificationTime();
      long newestPoint = 0;
      for (FileStatus p : fs.globStatus(new Path(root, runId + "/raw/p-*"))) {
        newestPoint = Math.max(newestPoint, p.getModificationTime());
      }
      return success.getModificationTime() >= Math.max(raw, newestPoint);
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the run has its manifest row ({@code runs/run.parquet}). */
  public boolean hasRunRow(String runId) {
    try {
      return fs.exists(new Path(root, runId + "/runs/run.parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path pointsPath(String runId) {
    return new Path(root, runId + "/points");
  }

  /** Replaces the run's points table with {@code written} (a complete directory) by a rename. */
  void replacePoints(String runId, Path written) {
    replace(written, pointsPath(runId));
  }

  /** A table directory of a run, e.g. {@code comparisons/<baseline>}. */
  public Path runPath(String runId, String relative) {
    return new Path(root, runId + "/" + relative);
  }

  /** Replaces {@code target} with {@code written} (a complete directory) by a rename. */
  public void replace(Path written, Path target) {
    try {
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

  /** A fresh temporary path under the run's {@code _attempts/} (never read by the views). */
  public Path attemptPath(String runId, String name) {
    return new Path(root, runId + "/_attempts/" + name);
  }
}
