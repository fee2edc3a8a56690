package dev.llmsweep.store;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Commits a point's raw rows exactly once (executor side). Its files (requests, batches, and the
 * probes of its environment) are written into a fresh directory under {@code _attempts/}, then that
 * directory is renamed to {@code raw/p-<point_id>} by one rename that fails when the target exists:
 * the first attempt to finish wins, a retried or speculative twin finds the point committed and
 * discards its copy, and a failed attempt leaves nothing under {@code raw/}. On the local
 * filesystem the rename is POSIX rename(2) of a directory onto a non-empty one, which fails;
 * elsewhere Hadoop's {@code Rename.NONE}.
 */
public final class PointCommitter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final URI runDir;
  private transient Configuration conf;

  PointCommitter(URI runDir, Configuration conf) {
    this.runDir = runDir;
    this.conf = conf;
  }

  /** What a commit found. */
  public enum Outcome {
    /** This attempt's rows are now the point's rows. */
    COMMITTED,
    /** Another attempt committed the point first; this one's rows were discarded. */
    ALREADY_COMMITTED
  }

  /** Sets the Hadoop configuration after deserialization on an executor. */
  public PointCommitter withConf(Configuration c) {
    this.conf = c;
    return this;
  }

  /** The run's directory. */
  public Path runDir() {
    return new Path(runDir);
  }

  public Path pointDir(String pointId) {
    return RunLayout.point(runDir(), pointId);
  }

  public boolean isCommitted(String pointId) {
    try {
      Path dir = pointDir(pointId);
      java.nio.file.Path local = LocalPaths.of(dir);
      if (local != null) {
        return Files.exists(local);
      }
      return dir.getFileSystem(conf).exists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the rows to a temporary directory and renames it into place. */
  public Outcome commit(String pointId, List<RequestRow> requests, List<BatchRow> batches)
      throws IOException {
    return commit(pointId, requests, batches, null, null);
  }

  /**
   * Writes the rows and the point's environment ({@code probes.parquet}, left out when null) to a
   * temporary directory and renames it into place: all of them or none.
   */
  public Outcome commit(
      String pointId,
      List<RequestRow> requests,
      List<BatchRow> batches,
      String runId,
      PointEnvironment environment)
      throws IOException {
    if (isCommitted(pointId)) {
      return Outcome.ALREADY_COMMITTED;
    }
    Path target = pointDir(pointId);
    Path tmp =
        new Path(
            RunLayout.attempts(runDir()),
            RunLayout.POINT_PREFIX + pointId + "-" + UUID.randomUUID());
    mkdirs(tmp);
    RawFiles.writeRequests(new Path(tmp, RawFiles.REQUESTS), requests, conf);
    RawFiles.writeBatches(new Path(tmp, RawFiles.BATCHES), batches, conf);
    if (environment != null) {
      RawFiles.writeProbes(new Path(tmp, RawFiles.PROBES), runId, pointId, environment, conf);
    }
    mkdirs(target.getParent());
    if (rename(tmp, target)) {
      return Outcome.COMMITTED;
    }
    tmp.getFileSystem(conf).delete(tmp, true);
    return Outcome.ALREADY_COMMITTED;
  }

  private void mkdirs(Path dir) throws IOException {
    java.nio.file.Path local = LocalPaths.of(dir);
    if (local != null) {
      Files.createDirectories(local);
    } else {
      dir.getFileSystem(conf).mkdirs(dir);
    }
  }

  /** Renames unless the target exists; false when it does. */
  private boolean rename(Path from, Path to) throws IOException {
    java.nio.file.Path src = LocalPaths.of(from);
    java.nio.file.Path dst = LocalPaths.of(to);
    if (src != null && dst != null) {
      try {
        Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
        return true;
      } catch (AtomicMoveNotSupportedException e) {
        throw e;
      } catch (IOException e) {
        if (Files.exists(dst)) {
          return false;
        }
        throw e;
      }
    }
    try {
      FileContext.getFileContext(to.toUri(), conf).rename(from, to, Options.Rename.NONE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /** Ids of the committed points. */
  public Set<String> committed() {
    try {
      Path raw = RunLayout.raw(runDir());
      return new HashSet<>(RunLayout.pointEntries(raw.getFileSystem(conf), raw, true, "").keySet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
