package dev.llmsweep.store;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where each file of a run lives, under its directory {@code ROOT/<run_id>/} (either side): the one
 * place that spells the layout of docs/schema.md. {@code conf/views.sql} reads the same paths.
 */
public final class RunLayout {
  /** The run's manifest, written when the run starts and rewritten when it ends. */
  public static final String MANIFEST = "manifest.json";

  static final String RAW = "raw";
  static final String POINT_PREFIX = "p-";
  static final String FAILED = "failed";
  static final String ATTEMPTS = "_attempts";
  static final String POINTS = "points";
  static final String RUNS = "runs";
  static final String COMPARISONS = "comparisons";

  private RunLayout() {}

  public static Path manifest(Path run) {
    return new Path(run, MANIFEST);
  }

  /** {@code raw/}: one committed directory per point. */
  public static Path raw(Path run) {
    return new Path(run, RAW);
  }

  /** {@code raw/p-<point_id>/}: a point's requests.parquet and batches.parquet. */
  public static Path point(Path run, String pointId) {
    return new Path(raw(run), POINT_PREFIX + pointId);
  }

  /**
   * The point entries {@code p-<point_id><suffix>} of {@code dir} ({@code raw/}'s directories,
   * {@code failed/}'s files), by point id; none when {@code dir} does not exist.
   */
  static Map<String, Path> pointEntries(FileSystem fs, Path dir, boolean directories, String suffix)
      throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (s.isDirectory() == directories && n.startsWith(POINT_PREFIX) && n.endsWith(suffix)) {
        out.put(n.substring(POINT_PREFIX.length(), n.length() - suffix.length()), s.getPath());
      }
    }
    return out;
  }

  /** {@code failed/}: one JSON record per failed point. */
  public static Path failed(Path run) {
    return new Path(run, FAILED);
  }

  /** {@code failed/p-<point_id>.json}. */
  public static Path failure(Path run, String pointId) {
    return new Path(failed(run), POINT_PREFIX + pointId + ".json");
  }

  /** {@code _attempts/}: temporary files and directories, renamed into place when complete. */
  public static Path attempts(Path run) {
    return new Path(run, ATTEMPTS);
  }

  /** {@code points/}: the aggregated points table. */
  public static Path points(Path run) {
    return new Path(run, POINTS);
  }

  /** {@code runs/}: the manifest as a one-row table ({@code runs/run.parquet}). */
  public static Path runsTable(Path run) {
    return new Path(run, RUNS);
  }

  /** {@code comparisons/}: one table per baseline. */
  public static Path comparisons(Path run) {
    return new Path(run, COMPARISONS);
  }

  /** {@code comparisons/<baseline>/}. */
  public static Path comparison(Path run, String baseline) {
    return new Path(comparisons(run), baseline);
  }

  /** {@code plots/}: the report's PNG and SVG files. */
  public static Path plots(Path run) {
    return new Path(run, "plots");
  }

  /** {@code servers/}: the logs of the servers a run started, when the run is on a local root. */
  public static Path servers(Path run) {
    return new Path(run, "servers");
  }

  /** {@code report.html}. */
  public static Path report(Path run) {
    return new Path(run, "report.html");
  }
}
