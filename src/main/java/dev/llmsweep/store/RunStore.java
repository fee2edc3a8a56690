package dev.llmsweep.store;

import dev.llmsweep.errors.BadInputException;
import dev.llmsweep.job.RunIds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A results root and the runs under it (driver side): the one owner of what a run is and which run
 * is the latest, handing out a {@link Run} for each (its files, manifest and committed points).
 * Every command, the sweep and compare open runs through it, then pass the handle on. The root is
 * any Hadoop filesystem URI; a relative path is made absolute here, before it is shipped to
 * executors.
 *
 * <p>A run is a directory under the root holding {@code manifest.json} (the sweep writes it when
 * the run starts, so a run whose every point failed is a run) or {@code raw/} (runs written by
 * other tools). The latest run is the one written to last: the newer of its manifest and its {@code
 * raw/}, ties broken by id. Lookups that fail because of what the user asked for throw {@link
 * MissingResultsException}, naming the root and the runs there.
 */
public final class RunStore {
  private final URI root;
  private final Configuration conf;

  private RunStore(URI root, Configuration conf) {
    this.root = root;
    this.conf = conf;
  }

  /**
   * Opens a results root to write runs into, qualified to an absolute URI (it need not exist yet).
   */
  public static RunStore open(String root, Configuration conf) {
    try {
      Path p = new Path(root);
      FileSystem fs = p.getFileSystem(conf);
      return new RunStore(fs.makeQualified(p).toUri(), conf);
    } catch (IOException | IllegalArgumentException e) {
      throw new BadInputException(
          "--results " + root + " is not a usable results root: " + e.getMessage(), e);
    }
  }

  /** Opens a results root to read: it must exist and be a directory. */
  public static RunStore openExisting(String root, Configuration conf) {
    RunStore store = open(root, conf);
    try {
      Path r = new Path(store.root);
      FileSystem fs = r.getFileSystem(conf);
      if (!fs.exists(r)) {
        throw new MissingResultsException(
            "results root " + root + " does not exist (pass --results ROOT)");
      }
      if (!fs.getFileStatus(r).isDirectory()) {
        throw new MissingResultsException("results root " + root + " is not a directory");
      }
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read results root " + root, e);
    }
  }

  /**
   * Checks that runs can be written under the root before anything runs: creates it and a probe
   * file. A root that is a regular file, lies under one, or is read-only is bad input.
   */
  public void requireWritable() {
    Path r = new Path(root);
    try {
      FileSystem fs = fs();
      if (fs.exists(r) && !fs.getFileStatus(r).isDirectory()) {
        throw new BadInputException(
            "--results "
                + root
                + " is a file, not a directory: give a directory"
                + " (it is created when missing)");
      }
      if (!fs.mkdirs(r)) {
        throw new IOException("cannot create the directory");
      }
      Path probe = new Path(r, "._llm-sweep-write-probe-" + UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(
          "--results "
              + root
              + " cannot be written: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "; give a directory you can write to",
          e);
    }
  }

  public URI root() {
    return root;
  }

  /** The qualified URI of the root, as the views' {@code results} variable. */
  public String uri() {
    return root.toString();
  }

  public Configuration conf() {
    return conf;
  }

  private FileSystem fs() throws IOException {
    return new Path(root).getFileSystem(conf);
  }

  /**
   * Creates the directory of a fresh run and returns it. Two runs starting in the same second under
   * one root (scheduled jobs) could draw the same id; the directory is claimed atomically (an
   * exclusive create of {@code _claim}, or {@code mkdir} on a local root), and a taken id is drawn
   * again.
   */
  public Run claimNewRun() {
    for (int attempt = 0; attempt < 20; attempt++) {
      Run run = at(RunIds.fresh());
      if (claim(run.dir())) {
        return run;
      }
    }
    throw new IllegalStateException(
        "could not claim a fresh run id under " + root + " in 20 attempts");
  }

  private boolean claim(Path dir) {
    try {
      java.nio.file.Path local = LocalPaths.of(dir);
      if (local != null) {
        java.nio.file.Files.createDirectories(local.getParent());
        java.nio.file.Files.createDirectory(local);
        return true;
      }
      FileSystem fs = fs();
      if (fs.exists(dir)) {
        return false;
      }
      // create without overwrite is exclusive on HDFS and object-store committers alike
      fs.create(new Path(dir, "_claim"), false).close();
      return true;
    } catch (java.nio.file.FileAlreadyExistsException
        | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a run directory under " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * The handle of run {@code runId} under the root, whether or not it has been written yet (the
   * sweep that creates it); {@link #run} opens one the user named.
   *
   * @throws IllegalArgumentException when {@code runId} is not a run id ({@link RunIds})
   */
  public Run at(String runId) {
    if (!RunIds.isValid(runId)) {
      throw new IllegalArgumentException("not a run id: '" + runId + "'");
    }
    return new Run(this, runId);
  }

  /** Whether {@code runId} is a run under the root (see the class comment). */
  public boolean exists(String runId) {
    if (!RunIds.isValid(runId)) {
      return false;
    }
    return lastWritten(runDir(runId)) != Long.MIN_VALUE;
  }

  /** A run's directory under the root (whether or not it exists). */
  Path runDir(String runId) {
    return new Path(new Path(root), runId);
  }

  /** When a run was last written to, or {@code Long.MIN_VALUE} when the directory is not a run. */
  private long lastWritten(Path dir) {
    try {
      FileSystem fs = fs();
      long t = Long.MIN_VALUE;
      for (Path p : List.of(RunLayout.manifest(dir), RunLayout.raw(dir))) {
        try {
          t = Math.max(t, fs.getFileStatus(p).getModificationTime());
        } catch (FileNotFoundException e) {
          // not written (yet)
        }
      }
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Every run under the root, the one written to last at the end. */
  public List<String> runs() {
    try {
      FileSystem fs = fs();
      Path r = new Path(root);
      if (!fs.exists(r)) {
        return List.of();
      }
      List<Map.Entry<String, Long>> runs = new ArrayList<>();
      for (FileStatus s : fs.listStatus(r)) {
        String name = s.getPath().getName();
        long t =
            s.isDirectory() && RunIds.isValid(name) ? lastWritten(s.getPath()) : Long.MIN_VALUE;
        if (t != Long.MIN_VALUE) {
          runs.add(Map.entry(name, t));
        }
      }
      runs.sort(
          Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
      return runs.stream().map(Map.Entry::getKey).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs under " + root + ": " + e.getMessage(), e);
    }
  }

  /** The run written to last. */
  public String latestRun() {
    List<String> runs = runs();
    if (runs.isEmpty()) {
      throw new MissingResultsException(
          "no runs under "
              + root
              + " (a run is a directory with manifest.json or"
              + " raw/p-*/ points; give --results ROOT, or run a job first)");
    }
    return runs.get(runs.size() - 1);
  }

  /**
   * Opens a run the user named ({@code --run-id}, {@code --run}, a baseline): the run itself once
   * checked to be a run here, or the latest run when {@code runId} is null.
   *
   * @throws MissingResultsException naming the root and the runs there
   */
  public Run run(String runId) {
    if (runId == null) {
      return at(latestRun());
    }
    if (!RunIds.isValid(runId)) {
      throw new MissingResultsException("invalid run id '" + runId + "': use " + RunIds.ACCEPTED);
    }
    if (!exists(runId)) {
      throw new MissingResultsException("no run '" + runId + "' under " + root + describeRuns());
    }
    return at(runId);
  }

  /** "; runs there: a, b" or " (it holds no runs)", for messages. */
  public String describeRuns() {
    List<String> runs = runs();
    return runs.isEmpty() ? " (it holds no runs)" : "; runs there: " + String.join(", ", runs);
  }
}
