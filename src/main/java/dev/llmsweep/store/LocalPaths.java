package dev.llmsweep.store;

import java.net.URI;
import org.apache.hadoop.fs.Path;

/**
 * The one test of whether a store path is on the local filesystem (either side). There the store
 * goes through java.nio instead of Hadoop's filesystem, for what Hadoop's local filesystem lacks or
 * makes slow: a run id claimed by mkdir(2), a point committed by a rename(2) that fails onto a
 * non-empty directory, a failure record replaced atomically, Parquet files written without checksum
 * files, and servers' logs beside the run. Store paths are qualified ({@link RunStore#open}), so a
 * local one always says {@code file:}.
 */
public final class LocalPaths {
  private LocalPaths() {}

  /** {@code p} as a java.nio path when it is on the local filesystem, else null. */
  public static java.nio.file.Path of(Path p) {
    URI u = p.toUri();
    return "file".equals(u.getScheme()) ? java.nio.file.Path.of(u) : null;
  }
}
