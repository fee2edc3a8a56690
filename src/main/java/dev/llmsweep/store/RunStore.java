package dev.llmsweep.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A results root and the runs under it (driver side): where each run's files go, new run ids,
 * the latest run, and which points a run has committed. The root is any Hadoop filesystem URI;
 * a relative path is made absolute here, before it is shipped to executors.
 */
public final class RunStore {
  public static final String MANIFEST = "manifest.json";
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final URI root;
  private final Configuration conf;

  private RunStore(URI root, Configuration conf) {
    this.root = root;
    this.conf = conf;
  }

  /** Opens a results root, qualified to an absolute URI (it need not exist yet). */
  public static RunStore open(String root, Configuration conf) {
    try {
      Path p = new Path(root);
      FileSystem fs = p.getFileSystem(conf);
      return new RunStore(fs.makeQualified(p).toUri(), conf);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--results " + root + " is not a usable results root: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that runs can be written under the root before anything runs: creates it and a probe
   * file. A root that is a regular file, lies under one, or is read-only is bad input.
   */
  public void requireWritable() {
    Path r = new Path(root);
    try {
      FileSystem fs = r.getFileSystem(conf);
      if (fs.exists(r) && !fs.getFileStatus(r).isDirectory()) {
        throw new IllegalArgumentException("--results " + root + " is a file, not a directory: give a directory"
            + " (it is created when missing)");
      }
      if (!fs.mkdirs(r)) {
        throw new IOException("cannot create the directory");
      }
      Path probe = new Path(r, "._llm-sweep-write-probe-" + UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("--results " + root + " cannot be written: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "; give a directory you can write to", e);
    }
  }

  public URI root() {
    return root;
  }

  public Configuration conf() {
    return conf;
  }

  /** A fresh run id: the local time and four random hex digits, so ids sort by start. */
  public static String newRunId() {
    byte[] r = new byte[2];
    new SecureRandom().nextBytes(r);
    return LocalDateTime.now().format(ID_TIME) + "-" + HexFormat.of().formatHex(r);
  }

  /**
   * Creates the directory of a fresh run and returns its id. Two runs starting in the same second
   * under one root (scheduled jobs) could draw the same id; the directory is claimed atomically
   * (an exclusive create of {@code _claim}, or {@code mkdir} on a local root), and a taken id is
   * drawn again.
   */
  public String claimNewRun() {
    for (int attempt = 0; attempt < 20; attempt++) {
      String id = newRunId();
      if (claim(id)) {
        return id;
      }
    }
    throw new IllegalStateException("could not claim a fresh run id under " + root + " in 20 attempts");
  }

  private boolean claim(String runId) {
    Path dir = runDir(runId);
    try {
      if ("file".equals(root.getScheme())) {
        java.nio.file.Path local = java.nio.file.Path.of(dir.toUri());
        java.nio.file.Files.createDirectories(local.getParent());
        java.nio.file.Files.createDirectory(local);
        return true;
      }
      FileSystem fs = dir.getFileSystem(conf);
      if (fs.exists(dir)) {
        return false;
      }
      // create without overwrite is exclusive on HDFS and object-store committers alike
      fs.create(new Path(dir, "_claim"), false).close();
      return true;
    } catch (java.nio.file.FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a run directory under " + root + ": " + e.getMessage(), e);
    }
  }

  /** Checks a user-given run id: it becomes a directory name. */
  public static String checkRunId(String id) {
    if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("--run-id '" + id + "' is not accepted: use letters, digits, '.', '_'"
          + " or '-' (at most 100, not starting with '.' or '-')");
    }
    return id;
  }

  public Path runDir(String runId) {
    return new Path(new Path(root), runId);
  }

  public PointCommitter committer(String runId) {
    return new PointCommitter(runDir(runId).toUri(), conf);
  }

  /** The run whose manifest was written last, or null when the root has none. */
  public String latestRun() {
    try {
      Path r = new Path(root);
      FileSystem fs = r.getFileSystem(conf);
      if (!fs.exists(r)) {
        return null;
      }
      String latest = null;
      long latestTime = Long.MIN_VALUE;
      for (FileStatus s : fs.listStatus(r)) {
        Path m = new Path(s.getPath(), MANIFEST);
        if (s.isDirectory() && fs.exists(m)) {
          long t = fs.getFileStatus(m).getModificationTime();
          if (t > latestTime || (t == latestTime && s.getPath().getName().compareTo(latest) > 0)) {
            latest = s.getPath().getName();
            latestTime = t;
          }
        }
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs under " + root + ": " + e.getMessage(), e);
    }
  }

  /** Resolves {@code --run-id}: the id given, or the latest run; fails when there is none. */
  public String resolveRun(String runId) {
    if (runId != null && !runId.equals("latest")) {
      String id = checkRunId(runId);
      if (!exists(id)) {
        throw new IllegalArgumentException("--run-id " + id + ": no such run under " + root);
      }
      return id;
    }
    String latest = latestRun();
    if (latest == null) {
      throw new IllegalArgumentException("no runs under " + root + " (give --results ROOT, or run a job first)");
    }
    return latest;
  }

  public boolean exists(String runId) {
    try {
      Path m = new Path(runDir(runId), MANIFEST);
      return m.getFileSystem(conf).exists(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FailureRecords failures(String runId) {
    return new FailureRecords(runDir(runId).toUri(), conf);
  }

  /** Point ids committed in a run: the names of its {@code raw/p-<id>} directories. */
  public Set<String> committedPoints(String runId) {
    return committer(runId).committed();
  }

  /** Every run id under the root, sorted. */
  public Set<String> runs() {
    Set<String> out = new TreeSet<>();
    try {
      Path r = new Path(root);
      FileSystem fs = r.getFileSystem(conf);
      if (fs.exists(r)) {
        for (FileStatus s : fs.listStatus(r)) {
          if (s.isDirectory() && fs.exists(new Path(s.getPath(), MANIFEST))) {
            out.add(s.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
