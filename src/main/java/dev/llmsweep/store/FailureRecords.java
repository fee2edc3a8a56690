package dev.llmsweep.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The failed points of a run: one {@code failed/p-<point_id>.json} each, one JSON line with
 * snake_case keys ({@link PointFailure}). Written on the executor into {@code _attempts/} and
 * renamed into place, so a reader never sees half a record; a later failure of the same point (a
 * resumed run) replaces it, and committing the point removes it. Raw results are never touched
 * here.
 */
public final class FailureRecords implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final URI runDir;
  private transient Configuration conf;

  FailureRecords(URI runDir, Configuration conf) {
    this.runDir = runDir;
    this.conf = conf;
  }

  /** Sets the Hadoop configuration after deserialization on an executor. */
  public FailureRecords withConf(Configuration c) {
    this.conf = c;
    return this;
  }

  public Path file(String pointId) {
    return RunLayout.failure(new Path(runDir), pointId);
  }

  /** Creates the run's {@code failed/} directory (empty until a point fails). */
  public void createDir() throws IOException {
    Path dir = RunLayout.failed(new Path(runDir));
    dir.getFileSystem(conf).mkdirs(dir);
  }

  /** Writes (or replaces) the point's failure record atomically. */
  public void write(PointFailure f) throws IOException {
    Path target = file(f.pointId());
    Path tmp =
        new Path(
            RunLayout.attempts(new Path(runDir)),
            "failed-p-" + f.pointId() + "-" + UUID.randomUUID() + ".json");
    FileSystem fs = target.getFileSystem(conf);
    fs.mkdirs(tmp.getParent());
    fs.mkdirs(target.getParent());
    try (OutputStream out = fs.create(tmp, false)) {
      out.write(JSON.writeValueAsBytes(f));
      out.write('\n');
    }
    java.nio.file.Path localTmp = LocalPaths.of(tmp);
    java.nio.file.Path localTarget = LocalPaths.of(target);
    if (localTmp != null && localTarget != null) {
      Files.move(
          localTmp,
          localTarget,
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  /** Removes the point's failure record, if any (after the point was committed). */
  public void clear(String pointId) throws IOException {
    Path f = file(pointId);
    f.getFileSystem(conf).delete(f, false);
  }

  /** Every failure record of the run. */
  public List<PointFailure> list() {
    List<PointFailure> out = new ArrayList<>();
    try {
      Path dir = RunLayout.failed(new Path(runDir));
      FileSystem fs = dir.getFileSystem(conf);
      for (Path record : RunLayout.pointEntries(fs, dir, false, ".json").values()) {
        try (InputStream in = fs.open(record)) {
          out.add(read(JSON.readTree(in)));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the failure records of " + runDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A record's parts, each read from the same flat object (Jackson cannot unwrap into a record's
   * constructor).
   */
  private static PointFailure read(JsonNode flat) throws IOException {
    return new PointFailure(
        flat.path("run_id").asText(null),
        JSON.treeToValue(flat, PointFailure.Setting.class),
        JSON.treeToValue(flat, Placement.class),
        JSON.treeToValue(flat, PointFailure.Cause.class));
  }
}
